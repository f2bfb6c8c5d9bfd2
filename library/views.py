from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from library.models import LibraryDocument
from niimi_portal.lib.page_tags import LIBRARY, shows


def document_list(request):
    """資料室: the published documents by category, in the category order the city uses."""
    shows(request, LIBRARY)
    documents = list(LibraryDocument.objects.published())
    labels = dict(LibraryDocument.Category.choices)
    categories = [
        {"value": value, "label": labels[value], "documents": [d for d in documents if d.category == value]}
        for value in LibraryDocument.Category.values
    ]
    return render(request, "library/document_list.html", {"categories": [c for c in categories if c["documents"]]})


def document_file(request, pk):
    """A published PDF, as a download named by its title (never opened as a page of this site, whatever a
    file stored before the upload checks holds); unpublished ones do not exist for the public."""
    document = get_object_or_404(LibraryDocument.objects.published(), pk=pk)
    if not document.file:
        raise Http404("この資料にはファイルがありません。")
    response = FileResponse(
        document.file.open("rb"), as_attachment=True, filename=f"{document.title}.pdf", content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
