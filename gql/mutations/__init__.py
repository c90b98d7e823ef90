"""The mutations, one module per family, merged into ``Mutation`` by the schema.

Every mutation calls one use case of :mod:`stakegraph.service.writes` (which checks the
caller, validates the whole input, and writes one atomic batch) and then forgets what
the request has read, so later fields see the write.
"""
