from django.apps import AppConfig


class PatronsConfig(AppConfig):
    name = "patrons"
    verbose_name = "利用者"

    def ready(self) -> None:
        from privacy_admin.core import hooks, labels

        from . import labels as own
        from .selectors import patron_id_by_card

        labels.register(own.ACTION_LABELS, own.ACTION_GROUP_LABELS)
        from . import targets as own_targets

        own_targets.register()  # how the access log shows this app's records
        hooks.register(hooks.PATRON_BY_CARD, patron_id_by_card)
