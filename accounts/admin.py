from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.forms import AdminLoginForm
from accounts.models import Language, Organisation, Skill, User, UserLanguage
from common.admin import ChangedFieldsOnlyAdmin

# The admin log-in passes the same failed log-in limits as the API and says when they refused it.
admin.site.login_form = AdminLoginForm


class UserLanguageInline(admin.TabularInline):
    model = UserLanguage
    extra = 0


@admin.register(User)
class UserAdmin(ChangedFieldsOnlyAdmin, BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "role", "organisation", "is_active", "is_staff"]
    list_filter = ["role", "organisation", "is_active", "is_staff"]
    search_fields = ["email", "display_name"]
    inlines = [UserLanguageInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["display_name", "role", "organisation", "timezone", "language"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    actions = ["deactivate"]

    def save_model(self, request, obj, form, change):
        switched_off = change and "is_active" in form.changed_data and not obj.is_active
        super().save_model(request, obj, form, change)
        if switched_off:
            services.sessions_end_all(user=obj)

    @admin.action(description=_("Deactivate and end all their sessions"))
    def deactivate(self, request, queryset):
        for user in queryset:
            services.user_deactivate(user=user)

    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "display_name", "role", "organisation", "password1", "password2"],
            },
        ),
    ]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "city"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "native_name", "rtl"]
    search_fields = ["code", "name", "native_name"]


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["slug", "label", "category"]
    list_filter = ["category"]
    search_fields = ["slug", "label"]
