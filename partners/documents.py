"""How a signed MoU leaves the system: through a view that has checked who asks,
always as an attachment, never cached, never from MEDIA_URL."""

from django.http import FileResponse, Http404

from partners.models import MoU


def mou_document_response(*, mou: MoU) -> FileResponse:
    """The signed PDF as a download; 404 when there is none."""
    if not mou.document:
        raise Http404("This MoU has no signed document.")
    try:
        handle = mou.document.open("rb")
    except FileNotFoundError:
        raise Http404("The signed document is missing.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"mou-{mou.organisation_id}-{mou.pk}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
