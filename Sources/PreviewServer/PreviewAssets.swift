/// The preview's stylesheet and script, served from its own routes so the
/// Content-Security-Policy can forbid everything inline.
enum PreviewAssets {
    static let css = """
        body { margin: 0; font: 15px/1.5 system-ui, sans-serif; color: #1f2937; background: #f6f7f6; }
        header { background: #14532d; padding: 10px 24px; }
        header a { color: #fff; font-weight: bold; text-decoration: none; }
        main { padding: 16px 20px 48px; }
        h1 { font-size: 26px; margin: 8px 0 16px; }
        h2 { font-size: 18px; margin: 28px 0 10px; }
        a { color: #0f5fa6; }
        .columns { display: flex; gap: 48px; flex-wrap: wrap; }
        .list { list-style: none; padding: 0; margin: 0; }
        .list li { padding: 4px 0; border-bottom: 1px solid #e5e7eb; }
        .list span { color: #6b7280; margin-left: 8px; }
        .problems { background: #fff7ed; border: 1px solid #fdba74; padding: 4px 16px; margin: 0 0 16px; }
        .languages { margin: 0 0 12px; }
        .untranslated { background: #eff6ff; border: 1px solid #93c5fd; padding: 8px 16px; margin: 0 0 16px; }
        .problems details.file { margin: 8px 0; }
        .problems summary { cursor: pointer; }
        .problems h3 { font-size: 14px; margin: 8px 0 4px; }
        .problems h3.error { color: #991b1b; }
        .problems h3.warning { color: #92400e; }
        .partial { background: #fef9c3; border: 1px solid #facc15; padding: 8px 16px; margin: 0 0 16px; }
        .translation-gaps details { margin: 6px 0; }
        .translation-gaps li { margin: 2px 0; }
        .problems li.error code { color: #991b1b; }
        .problems li.warning code { color: #92400e; }
        code, pre { font: 13px/1.45 ui-monospace, Menlo, Consolas, monospace; }
        pre { background: #fff; border: 1px solid #e5e7eb; padding: 12px; overflow: auto; max-height: 640px; }
        pre.text { width: 78ch; }
        .button { display: inline-block; padding: 6px 12px; background: #14532d; color: #fff; border-radius: 4px; text-decoration: none; }
        .frames { display: flex; gap: 16px; align-items: flex-start; flex-wrap: wrap; }
        figure { margin: 0; }
        figcaption { color: #6b7280; font-size: 13px; margin-bottom: 4px; }
        iframe { border: 1px solid #d1d5db; background: #fff; height: 900px; display: block; }
        iframe.desktop { width: 600px; }
        iframe.phone { width: 375px; }
        .bar { width: 420px; height: 10px; background: #e5e7eb; }
        .bar span { display: block; height: 10px; background: #16a34a; }
        .bar.over span { background: #dc2626; }
        .steps { display: flex; gap: 16px; font-size: 14px; }
        .inbox { background: #fff; border: 1px solid #d1d5db; border-radius: 6px; padding: 10px 14px; max-width: 640px; }
        .inbox p { margin: 0; }
        .inbox .sender { font-weight: bold; }
        .inbox .subject { color: #111827; }
        .inbox .preheader { color: #4b5563; font-size: 14px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
        .downloads { margin: 14px 0; }
        .quarters a { margin-left: 6px; }
        form.range { margin-top: 16px; display: flex; gap: 8px; flex-wrap: wrap; align-items: center; }
        form.range label { width: 100%; color: #4b5563; font-size: 14px; }
        details.authors { margin-top: 28px; }
        details.authors summary { cursor: pointer; font-weight: bold; }
        table.months { border-collapse: collapse; margin-top: 8px; }
        table.months th, table.months td { padding: 4px 12px; border-bottom: 1px solid #e5e7eb; text-align: right; }
        table.months th:first-child { text-align: left; font-weight: normal; }
        table.figures th { text-align: left; font-weight: normal; padding: 4px 24px 4px 0; }
        table.figures td { font-weight: bold; text-align: right; }
        table.months tfoot th, table.months tfoot td { font-weight: bold; border-top: 2px solid #9ca3af; border-bottom: 0; }
        .note { color: #4b5563; font-size: 14px; }
        form.member { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; margin-bottom: 12px; }
        form.member label { width: 100%; color: #4b5563; font-size: 14px; }
        form.member input { width: 6em; }
        """ + (0...100).map { ".w\($0) { width: \($0)%; }" }.joined(separator: "\n") + "\n"

    /// Polls `/version` and reloads the page when the data or templates
    /// change; gives each newsletter frame the height of its content, so it
    /// never scrolls inside the scrolling page (the frames are sandboxed
    /// without scripts but of the preview's origin, so their height can be read).
    static let script = """
        (function () {
          var seen = document.body.getAttribute("data-generation");
          function check() {
            fetch("/version", { cache: "no-store" }).then(function (r) { return r.text(); }).then(function (v) {
              if (v.trim() !== seen) { location.reload(); } else { setTimeout(check, 1500); }
            }).catch(function () { setTimeout(check, 5000); });
          }
          setTimeout(check, 1500);
          function fit(frame) {
            try {
              var doc = frame.contentDocument;
              if (!doc || !doc.documentElement) { return; }
              frame.style.height = doc.documentElement.scrollHeight + "px";
            } catch (e) { /* another origin: keep the default height */ }
          }
          function fitAll() { document.querySelectorAll("iframe").forEach(fit); }
          document.querySelectorAll("iframe").forEach(function (frame) {
            frame.addEventListener("load", function () { fit(frame); });
            fit(frame);
          });
          window.addEventListener("resize", fitAll);
        })();

        """
}
