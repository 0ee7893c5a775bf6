from applications.models.application import Application, DraftRevision, ReferenceSequence
from applications.models.calendar import CalendarDay
from applications.models.cohort import Cohort
from applications.models.dashboard_snapshot import DashboardReportPage, DashboardSnapshot
from applications.models.decision import Decision, DecisionReason
from applications.models.document import Document, DocumentVersion
from applications.models.event import AuditChainHead, AuditEvent
from applications.models.outbox import Notification, ReminderLog
from applications.models.participation import ExtensionRequest, OnboardingCondition, Participation
from applications.models.programme import Criterion, DocumentRequirement, Programme
from applications.models.programme_version import ProgrammeVersion
from applications.models.report import Report, ReportAttachment
from applications.models.review import (
    ConflictOfInterest,
    CriterionScore,
    InternalNote,
    Review,
    ReviewerAssignment,
)
from applications.models.rfi import RequestForInformation
from applications.models.stage_history import FinishedClock, StageStay

__all__ = [
    "Application",
    "AuditChainHead",
    "AuditEvent",
    "CalendarDay",
    "Cohort",
    "ConflictOfInterest",
    "Criterion",
    "CriterionScore",
    "DashboardReportPage",
    "DashboardSnapshot",
    "Decision",
    "DecisionReason",
    "Document",
    "DocumentRequirement",
    "DocumentVersion",
    "DraftRevision",
    "ExtensionRequest",
    "FinishedClock",
    "InternalNote",
    "Notification",
    "OnboardingCondition",
    "Participation",
    "Programme",
    "ProgrammeVersion",
    "ReferenceSequence",
    "ReminderLog",
    "Report",
    "ReportAttachment",
    "RequestForInformation",
    "Review",
    "ReviewerAssignment",
    "StageStay",
]
