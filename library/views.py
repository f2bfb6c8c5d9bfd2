from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from library.models import LibraryDocument


def document_list(request):
    """資料室: the published documents by category, in the category order the city uses."""
    documents = list(LibraryDocument.objects.published())
    labels = dict(LibraryDocument.Category.choices)
    categories = [
        {"value": value, "label": labels[value], "documents": [d for d in documents if d.category == value]}
        for value in LibraryDocument.Category.values
    ]
    return render(request, "library/document_list.html", {"categories": [c for c in categories if c["documents"]]})


def document_file(request, pk):
    """A published PDF, opened in the browser; unpublished ones do not exist for the public."""
    document = get_object_or_404(LibraryDocument.objects.published(), pk=pk)
    if not document.file:
        raise Http404("この資料にはファイルがありません。")
    response = FileResponse(document.file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = "inline"
    return response
