"""The index: a folder of plain files with a manifest (see ``store``), kept safe on disk (``folder``)."""
from .store import (ARTEFACTS, FORMAT, Index, IndexProblem, build_index, expected_manifest, for_embedding,
                    load_index, passage_text)

__all__ = ["ARTEFACTS", "FORMAT", "Index", "IndexProblem", "build_index", "expected_manifest", "for_embedding", "load_index",
           "passage_text"]
