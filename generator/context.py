"""One build's context: the profile and everything derived from it, made once per
build and passed down the pipeline instead of living in module state.

Why an object and not module globals: the entity index grows with the places found
in the corpus, the search tokenizer knows the archive's names, and the slug table
needs every name before the first URL is made.  Held by the build, none of them can
leak from one build into the next, and two archives (two profiles) build in one
process with the same URLs as in two.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cache import Memos
from .settings.profile import (
    DATA_FILES,
    Layout,
    Newspaper,
    Profile,
    default_profile,
    load_profile,
    load_yaml,
)

if TYPE_CHECKING:
    from .entities.index import EntityIndex
    from .entities.slugs import EntitySlugs


@dataclass
class BuildContext:
    profile: Profile
    # set once every name of the corpus is known (entities.slugs.assign_entity_slugs)
    slugs: "EntitySlugs | None" = field(default=None, repr=False)
    # what the previous build rendered, by what it was made from (none: render everything)
    memos: Memos = field(default_factory=Memos, repr=False)

    @classmethod
    def load(cls, folder: Path | str | None = None) -> "BuildContext":
        """A context for the profile in ``folder`` (the 锦州 profile by default), every
        settings file (and the generator's own wording) checked before anything else happens."""
        for name in DATA_FILES:
            load_yaml(name)
        return cls(load_profile(folder) if folder is not None else default_profile())

    @property
    def entity_slugs(self) -> "EntitySlugs":
        """The slugs, which only exist once every page is read (``build.link``)."""
        if self.slugs is None:
            raise RuntimeError("entity page names are assigned after every page is read (build.link)")
        return self.slugs

    @property
    def layout(self) -> Layout:
        return self.profile.layout

    @property
    def newspaper(self) -> Newspaper:
        return self.profile.newspaper

    @property
    def root_place(self) -> str:
        return self.profile.root_place

    @property
    def dates(self) -> dict[str, Any]:
        """The date vocabulary (``dates.yaml``)."""
        return self.profile.data["dates.yaml"]

    @functools.cached_property
    def entities(self) -> "EntityIndex":
        """The entity index of this build: the profile's dictionaries, then the places
        the corpus adds (``entities.linking.register_entities``)."""
        from .entities.index import EntityIndex

        return EntityIndex(self.profile)

    @functools.cached_property
    def tokenizer(self):
        """jieba (rjieba) with the archive's names added, for the search word list."""
        from .search.index import tokenizer

        return tokenizer(self.entities)
