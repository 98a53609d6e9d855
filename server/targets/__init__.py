"""The office's targets: what "enough" means for satisfaction, activities, reception days and
supervision meetings. Admins set them; every report and rule that judges against one reads it
here (docs/office-rules.md)."""
