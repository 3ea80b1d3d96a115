from chat import api
from config.routers import Router

router = Router()
router.register("conversations", api.ConversationViewSet, basename="conversation")
router.register("messages", api.MessageViewSet, basename="message")
router.register("reports", api.ReportViewSet, basename="report")

urlpatterns = router.urls
