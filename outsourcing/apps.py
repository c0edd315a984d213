from django.apps import AppConfig


class OutsourcingConfig(AppConfig):
    """Contractors, contracts and the scope of operator accounts."""

    name = "outsourcing"
    verbose_name = "業務委託"

    def ready(self) -> None:
        from privacy_admin.core import hooks, labels, scope, signin

        from . import labels as own
        from . import selectors
        from .auth import OperatorGateAuthenticationForm, operator_refusal
        from .scope import scope_for

        labels.register(own.ACTION_LABELS, own.ACTION_GROUP_LABELS)
        from . import targets as own_targets

        own_targets.register()  # how the access log shows this app's records
        # Access scope and the sign-in gate are outsourcing's: the kernel asks them of this app.
        scope.register(scope_for)
        signin.register_form(OperatorGateAuthenticationForm)
        signin.register_condition(operator_refusal)
        # The register and its annual report, below this app, ask about contracts through these.
        hooks.register(hooks.CONTRACT_ROWS, selectors.report_contract_rows)
        hooks.register(hooks.ENTRY_BLOCKERS, selectors.entry_blockers)
