"""Errors a service raises for a person to read; views turn them into messages."""


class WorkflowError(Exception):
    """A requested change cannot happen; `str(error)` is a translated, plain-words explanation."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


class NotAllowed(WorkflowError):
    """The actor may not do this to this object."""


class StaleState(WorkflowError):
    """Someone else changed the object first (the other half of a concurrent race)."""


class EditConflict(WorkflowError):
    """A draft save would overwrite answers a co-applicant changed meanwhile."""

    def __init__(self, message: str, fields: list[str]) -> None:
        super().__init__(message)
        self.fields = fields
