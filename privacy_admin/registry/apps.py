from django.apps import AppConfig


class RegistryConfig(AppConfig):
    """The former home of the register, incidents and annual reports, kept for its migrations only.

    Its tables now belong to the ``register`` and ``incidents`` apps, which adopted them in their migration
    0001 (state only, then a rename); this app's 0005 drops the models from its own state. It holds no code
    and stays installed so that a database created before the move, and a fresh one, migrate the same way.
    Remove it (and squash) once every library's database has applied ``register.0002``.
    """

    name = "privacy_admin.registry"
    label = "registry"
    verbose_name = "registry (migrations only)"
