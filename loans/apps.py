from django.apps import AppConfig


class LoansConfig(AppConfig):
    """Loans, reservations, counter operations and notices (circulation issue). No models yet."""

    name = "loans"
    verbose_name = "貸出・予約"

    def ready(self) -> None:
        from privacy_admin.core import hooks, labels

        from . import labels as own
        from . import selectors

        labels.register(own.ACTION_LABELS, own.ACTION_GROUP_LABELS)
        from . import targets as own_targets

        own_targets.register()  # how the access log shows this app's records
        # The patron's page and patron scope show circulation through these (patrons is below loans).
        hooks.register(hooks.PATRON_REACH, selectors.patron_reach)
        hooks.register(hooks.PATRON_LOANS, selectors.loans_of_patron)
        hooks.register(hooks.PATRON_RESERVATIONS, selectors.reservations_of_patron)
