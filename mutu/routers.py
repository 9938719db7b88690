"""One database serves everything; the router only keeps models without a table out of it.

django-rq's admin "Dashboard" (installed with Redis) is such a model: it exists to hang the
queue pages on the admin, and a plain `manage.py dumpdata` would stop on its missing table.
Saying "not in this database" for every unmanaged model makes `dumpdata` skip it; `migrate`
creates no table for it either way.
"""


class UnmanagedModelsHaveNoTable:
    def allow_migrate(self, db, app_label, model_name=None, **hints):
        model = hints.get("model")
        if model is not None and not model._meta.managed:
            return False
        return None  # no opinion: the default, every model in the one database
