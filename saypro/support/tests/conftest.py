import pytest
from django.core.files.storage import FileSystemStorage

from saypro.support.models import Attachment


@pytest.fixture(autouse=True)
def _private_support_attachments(tmp_path, monkeypatch):
    """Ticket attachments go to the test's own folder, never into var/."""
    storage = FileSystemStorage(location=tmp_path / "support-attachments", base_url=None)
    monkeypatch.setattr(Attachment._meta.get_field("file"), "storage", storage)
