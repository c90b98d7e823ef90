"""Interactive org charts and political maps of an account, and the embeddable widget.

========================  ===================================================
module                    what
========================  ===================================================
``tokens``                signed, short-lived widget tokens (mint / verify)
``facts``                 the one adapter to ``influence``: what the map shows
``mapdata``               vis-network nodes, edges and options (via pyvis)
``layout``                fixed positions of the org chart
``page``                  the HTML page (own jinja2 template), its hashed assets
``routes``                ``/accounts/{id}/map`` and ``/embed/accounts/{id}``
``i18n``                  UI strings in English and Chinese
``sample``                a deterministic sample account (tests, bench)
========================  ===================================================
"""
