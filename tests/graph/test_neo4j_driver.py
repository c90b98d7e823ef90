"""The Neo4j driver runs with its official Rust extension, at the driver's own version
(issue 12 item 1): PackStream is encoded and decoded in Rust, not in Python."""

from __future__ import annotations

from importlib.metadata import version

from neo4j._codec.packstream import v1


def test_the_rust_extension_is_installed_at_the_drivers_version() -> None:
    driver, extension = version("neo4j"), version("neo4j-rust-ext")
    assert extension.split(".")[:3] == driver.split(".")[:3], (driver, extension)


def test_the_driver_packs_and_unpacks_in_rust() -> None:
    assert v1._rust_pack is not None
    assert v1._rust_unpack is not None
