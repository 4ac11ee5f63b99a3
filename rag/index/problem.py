"""The one error an index raises."""


class IndexProblem(Exception):
    """The index cannot be used as it is; ``kind`` is missing, stale, corrupt or refused."""

    def __init__(self, kind: str, reason: str):
        super().__init__(reason)
        self.kind = kind
        self.reason = reason
