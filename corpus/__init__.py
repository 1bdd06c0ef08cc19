"""The curriculum: typed course data, its loader, role paths and totals."""

from corpus.load import CorpusError, load_curriculum
from corpus.models import Course, Curriculum, Module, Role, Stage
from corpus.plan import Plan, StagePlan, consolidate, plan_for_role, total_hours

__all__ = [
    "Course",
    "CorpusError",
    "Curriculum",
    "Module",
    "Plan",
    "Role",
    "Stage",
    "StagePlan",
    "consolidate",
    "load_curriculum",
    "plan_for_role",
    "total_hours",
]
