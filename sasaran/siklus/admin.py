from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import CorrectiveAction, ManagementReview, ReminderDigest, ReminderPreference


@admin.register(CorrectiveAction)
class CorrectiveActionAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "period", "owner", "due_date", "status"]
    list_filter = ["status", "indicator__objective__section__manual__unit"]
    search_fields = ["indicator__name", "action", "cause_analysis"]
    raw_id_fields = ["indicator", "realisation", "owner", "opened_by", "done_by", "verified_by"]


@admin.register(ReminderPreference)
class ReminderPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "enabled"]
    list_filter = ["enabled"]
    raw_id_fields = ["user"]


@admin.register(ReminderDigest)
class ReminderDigestAdmin(admin.ModelAdmin):
    list_display = ["user", "date", "sent_at", "subject"]
    list_filter = ["date"]
    raw_id_fields = ["user"]
    readonly_fields = ["user", "date", "sent_at", "subject", "body"]


@admin.register(ManagementReview)
class ManagementReviewAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "year", "period", "meeting_date"]
    list_filter = ["unit", "year"]
