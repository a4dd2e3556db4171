"""Models of the judging app, split by stage."""

from .awards import AwardRun, Objection, Override, Publication, Result, RunFairness, Showcase
from .documents import Certificate, CertificateDesign, RenderJob
from .panels import Judge, PanelSeat, Recusal
from .schedule import Draw, VenueAssignment
from .scoring import LedgerEntry, Scorecard, ScoreItem, ScoreLine, ScoreSheet, VenueStatus

__all__ = [
    "AwardRun",
    "Certificate",
    "CertificateDesign",
    "Draw",
    "Judge",
    "LedgerEntry",
    "Objection",
    "Override",
    "PanelSeat",
    "Publication",
    "Recusal",
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
