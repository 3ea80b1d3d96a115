from rest_framework.routers import SimpleRouter

from chat import api

router = SimpleRouter()
router.register("conversations", api.ConversationViewSet, basename="conversation")
router.register("messages", api.MessageViewSet, basename="message")
router.register("reports", api.ReportViewSet, basename="report")

urlpatterns = router.urls
