package org.guestmem.cli.report;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A self-contained HTML page: a title, key/value parameters, one table and PNG charts embedded as {@code data:}
 * URIs, with inline CSS and no script, so it opens offline from a single file.
 */
public final class HtmlReport {
  private final String title;
  private final List<String[]> parameters = new ArrayList<>();
  private final List<String> sections = new ArrayList<>();

  public HtmlReport(String title) {
    this.title = title;
  }

  /** Adds a parameter line under the title. */
  public HtmlReport parameter(String name, String value) {
    parameters.add(new String[] {name, value});
    return this;
  }

  /** Adds a table; {@code numeric} marks right-aligned columns. */
  public HtmlReport table(String caption, List<String> header, List<List<String>> rows, boolean[] numeric) {
    StringBuilder t = new StringBuilder("<h2>").append(escape(caption)).append("</h2>\n<table>\n<tr>");
    for (String h : header) {
      t.append("<th>").append(escape(h)).append("</th>");
    }
    t.append("</tr>\n");
    for (List<String> row : rows) {
      t.append("<tr>");
      for (int i = 0; i < row.size(); i++) {
        boolean right = i < numeric.length && numeric[i];
        t.append(right ? "<td class=\"n\">" : "<td>").append(escape(row.get(i))).append("</td>");
      }
      t.append("</tr>\n");
    }
    sections.add(t.append("</table>\n").toString());
    return this;
  }

  /** Adds a chart from PNG bytes with a caption. */
  public HtmlReport chart(String caption, byte[] png) {
    sections.add("<figure><img alt=\"" + escape(caption) + "\" src=\"data:image/png;base64,"
        + Base64.getEncoder().encodeToString(png) + "\"><figcaption>" + escape(caption)
        + "</figcaption></figure>\n");
    return this;
  }

  /** Adds a paragraph of text. */
  public HtmlReport note(String text) {
    sections.add("<p class=\"note\">" + escape(text) + "</p>\n");
    return this;
  }

  /** The page. */
  public String render() {
    StringBuilder h = new StringBuilder(1 << 16);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(escape(title))
        .append("</title>\n<style>\n")
        .append("body{font-family:DejaVu Sans,Helvetica,Arial,sans-serif;margin:24px;color:#222;max-width:1300px}\n")
        .append("h1{font-size:22px;margin-bottom:4px}h2{font-size:17px;margin-top:28px}\n")
        .append("dl{display:grid;grid-template-columns:max-content auto;gap:2px 14px;font-size:13px}\n")
        .append("dt{color:#666}dd{margin:0}\n")
        .append("table{border-collapse:collapse;font-size:12px}th,td{border:1px solid #ccc;padding:3px 7px}\n")
        .append("th{background:#f0f0f0;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}\n")
        .append("tr:nth-child(even) td{background:#fafafa}\n")
        .append("figure{margin:18px 0}img{max-width:100%;border:1px solid #ddd}")
        .append("figcaption{font-size:12px;color:#555}\n.note{font-size:12px;color:#555}\n")
        .append("</style></head><body>\n<h1>").append(escape(title)).append("</h1>\n<dl>\n");
    for (String[] p : parameters) {
      h.append("<dt>").append(escape(p[0])).append("</dt><dd>").append(escape(p[1])).append("</dd>\n");
    }
    h.append("</dl>\n");
    sections.forEach(h::append);
    return h.append("</body></html>\n").toString();
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
