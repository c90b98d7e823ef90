"""The HTTP routes beside ``/graphql``: health, and the maps and widget pages."""
