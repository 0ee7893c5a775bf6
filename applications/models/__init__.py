from applications.models.application import Application, DraftRevision, ReferenceSequence
from applications.models.cohort import Cohort
from applications.models.document import Document, DocumentVersion
from applications.models.event import AuditChainHead, AuditEvent
from applications.models.outbox import Notification, ReminderLog
from applications.models.programme import Criterion, DocumentRequirement, Programme

__all__ = [
    "Application",
    "AuditChainHead",
    "AuditEvent",
    "Cohort",
    "Criterion",
    "Document",
    "DocumentRequirement",
    "DocumentVersion",
    "DraftRevision",
    "Notification",
    "Programme",
    "ReferenceSequence",
    "ReminderLog",
]
