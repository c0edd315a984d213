"""Access-log labels for the register, its prints, incidents and annual reports (merged into
privacy_admin.audit.labels). Each module that writes an action adds its labels here."""

ACTION_LABELS: dict[str, str] = {}
ACTION_GROUP_LABELS: dict[str, str] = {}
