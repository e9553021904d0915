"""Containment in the area gazetteer and the theme tree, as pure functions over parent maps."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

__all__ = ["ancestors", "descendants", "expand", "with_ancestors"]

ParentMap = Mapping[str, Iterable[str]]


def _children(parents: ParentMap) -> dict[str, list[str]]:
    children: dict[str, list[str]] = {}
    for child, its_parents in parents.items():
        for parent in its_parents:
            children.setdefault(parent, []).append(child)
    return children


def descendants(parents: ParentMap, code: str) -> set[str]:
    """``code`` and everything inside it.

    A health council contains its municipalities; a region contains its councils and
    municipalities.

    Examples
    --------
    >>> parents = {"0751": ["region-midtjylland", "sundhedsraad-aarhus"],
    ...            "sundhedsraad-aarhus": ["region-midtjylland"]}
    >>> sorted(descendants(parents, "sundhedsraad-aarhus"))
    ['0751', 'sundhedsraad-aarhus']
    >>> sorted(descendants(parents, "region-midtjylland"))
    ['0751', 'region-midtjylland', 'sundhedsraad-aarhus']

    Notes
    -----
    O(n) in the size of the map, which is about 120 entries for Denmark.
    """
    children = _children(parents)
    found, stack = {code}, [code]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def ancestors(parents: ParentMap, code: str) -> set[str]:
    """Everything that contains ``code`` (not including ``code`` itself).

    Examples
    --------
    >>> sorted(ancestors({"0751": ["sundhedsraad-aarhus"], "sundhedsraad-aarhus": ["DK"]}, "0751"))
    ['DK', 'sundhedsraad-aarhus']
    """
    found: set[str] = set()
    stack = list(parents.get(code, []))
    while stack:
        parent = stack.pop()
        if parent not in found:
            found.add(parent)
            stack.extend(parents.get(parent, []))
    return found


def expand(parents: ParentMap, codes: Iterable[str]) -> set[str]:
    """The union of :func:`descendants` over several codes."""
    result: set[str] = set()
    for code in codes:
        result |= descendants(parents, code)
    return result


def with_ancestors(parents: ParentMap, codes: Iterable[str]) -> set[str]:
    """The codes and everything that contains them (a sub-theme brings its theme).

    Examples
    --------
    >>> sorted(with_ancestors({"T2.1": ["T2"]}, ["T2.1", "T4"]))
    ['T2', 'T2.1', 'T4']
    """
    result: set[str] = set()
    for code in codes:
        result |= {code} | ancestors(parents, code)
    return result
