from config.routers import Router
from safeguarding import api

router = Router()
router.register("safeguarding-log", api.EntryViewSet, basename="safeguarding-log")

urlpatterns = router.urls
