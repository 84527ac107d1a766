"""File downloads the office opens in a spreadsheet."""

from django.http import HttpResponse

# Excel reads a CSV as the system's legacy code page unless it starts with a UTF-8 byte
# order mark: "stars (1–5)" would come out as "stars (1â€“5)".
BOM = "\ufeff"


def csv_response(filename: str) -> HttpResponse:
    """An empty UTF-8 CSV attachment (with its byte order mark) to write rows into."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write(BOM)
    return response
