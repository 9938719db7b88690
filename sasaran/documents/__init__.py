"""The official documents of the Sasaran Mutu: what they say (`reports`: the document, the
quarterly report, the unit comparison, each as plain data), how they are drawn (`chart`),
their writers (`export_pdf` with WeasyPrint, `export_xlsx` with openpyxl), the table from
format to writer (`exports`), the background jobs for the large ones (`jobs`) and the import
of a year's manual from a workbook (`import_xlsx`)."""
