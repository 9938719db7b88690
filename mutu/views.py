"""A health view for load balancers and the benchmark's request floor: answers "ok" without
touching the database, the session or a template."""

from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def health(request):
    return HttpResponse("ok", content_type="text/plain")
