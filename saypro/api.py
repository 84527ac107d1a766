"""The JSON API under /api/v1/: one NinjaAPI assembling each domain app's router."""

from saypro.accounts.api import router as accounts_router
from saypro.campaigns.api import router as campaigns_router
from saypro.catalog.api import router as catalog_router
from saypro.consultations.api import router as consultations_router
from saypro.core.api import build_api
from saypro.engagement.api import router as engagement_router
from saypro.improvements.api import router as improvements_router
from saypro.insights.api import router as insights_router
from saypro.knowledge.api import router as knowledge_router
from saypro.messaging.api import router as messaging_router
from saypro.notifications.api import router as notifications_router
from saypro.reviews.api import router as reviews_router
from saypro.rewards.api import router as rewards_router
from saypro.support.api import router as support_router
from saypro.surveys.api import router as surveys_router
from saypro.webinars.api import router as webinars_router

api = build_api()
api.add_router("/", catalog_router)
api.add_router("/", accounts_router)
api.add_router("/", reviews_router)
api.add_router("/", improvements_router)
api.add_router("/", insights_router)
api.add_router("/", messaging_router)
api.add_router("/", notifications_router)
api.add_router("/", rewards_router)
api.add_router("/", surveys_router)
api.add_router("/", engagement_router)
api.add_router("/", campaigns_router)
api.add_router("/", support_router)
api.add_router("/", consultations_router)
api.add_router("/", webinars_router)
api.add_router("/", knowledge_router)
