"""Models of the judging app, split by stage (schedule, panels, scoring, awards, documents).
One Django app and one migration history: every model is importable from judging.models.
"""

from judging.models.awards import (
    AwardRun,
    Objection,
    Override,
    Publication,
    Result,
    RunFairness,
    Showcase,
)
from judging.models.documents import Certificate, CertificateDesign, RenderJob
from judging.models.ledger import AnchorKind, LedgerAnchor
from judging.models.panels import Judge, PanelSeat, Recusal, ReviewAssignment
from judging.models.people import CheckIn
from judging.models.schedule import Draw, VenueAssignment
from judging.models.scoring import (
    LedgerEntry,
    Scorecard,
    ScoreItem,
    ScoreLine,
    ScoreSheet,
    VenueStatus,
)

__all__ = [
    "AnchorKind",
    "AwardRun",
    "Certificate",
    "CheckIn",
    "CertificateDesign",
    "Draw",
    "Judge",
    "LedgerAnchor",
    "LedgerEntry",
    "Objection",
    "Override",
    "PanelSeat",
    "Publication",
    "Recusal",
    "ReviewAssignment",
    "RenderJob",
    "Result",
    "RunFairness",
    "ScoreItem",
    "ScoreLine",
    "ScoreSheet",
    "Scorecard",
    "Showcase",
    "VenueAssignment",
    "VenueStatus",
]
