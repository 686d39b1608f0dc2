import BoundedHTTP
import CoalitionData
import DigestApplication
import DigestModel
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// The staff preview: a local web server that shows every report before it
/// goes out, rendered in memory from the data and templates folders.
///
/// Routes: `/` (every period, and the data's problems), `/month/YYYY-MM`
/// (newsletter at two widths, plain text, JSON, downloads),
/// `/month/YYYY-MM/<file>`, `/period/<quarter or year>` and its
/// `report.xlsx`, `/site/` and `/site/<file>` (the web archive, as
/// `digest archive` writes it), `/version`, `/static/…`. Anything else is 404; methods
/// other than GET and HEAD are 405. Nothing is served from the disk by path.
public enum PreviewServer {
    /// GET and HEAD only; a readable 404 for every unknown path; a page may
    /// narrow the policy (the newsletter's frames), never widen it.
    static let safety = SafetyHeaders<BasicRequestContext>.Rules(
        methods: [.get, .head],
        contentSecurityPolicy:
            "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; frame-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        responseMayNarrowPolicy: true,
        notFound: { SafetyHeaders<BasicRequestContext>.text("Not found. Every report is listed at /.\n", .notFound) })

    /// Builds the application, listening on `host:port` (loopback unless
    /// told otherwise; port 0 takes any free port).
    ///
    /// - Parameter onListening: called once the port is bound, with its number.
    public static func application(
        workspace: PreviewWorkspace, host: String = "127.0.0.1", port: Int = 8080,
        onListening: @escaping @Sendable (Int) -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let hosts = HostCheck(listeningOn: host, port: port)
        return Application(
            router: router(workspace: workspace, hosts: hosts),
            server: BoundedChannel.builder(),
            configuration: .init(address: .hostname(host, port: port), serverName: "coalition-digest-preview"),
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? port
                hosts.setPort(bound)
                onListening(bound)
            },
            // The preview says where it listens itself; Hummingbird's own
            // start-up line (with its timestamp) would say it twice.
            logger: {
                var logger = Logger(label: "coalition-digest-preview")
                logger.logLevel = .warning
                return logger
            }())
    }

    /// The routes, for the server and for tests.
    ///
    /// - Parameter hosts: the `Host` values answered (421 otherwise); nil
    ///   answers any, for tests that call the router directly.
    public static func router(workspace: PreviewWorkspace, hosts: HostCheck? = nil) -> Router<BasicRequestContext> {
        let router = Router(options: .autoGenerateHeadEndpoints)
        if let hosts { router.middlewares.add(HostMiddleware(hosts: hosts)) }
        router.middlewares.add(SafetyHeaders<BasicRequestContext>(Self.safety))
        router.middlewares.add(FetchSiteMiddleware())

        router.get("/") { _, _ -> Response in
            let snapshot = await workspace.snapshot()
            return html(PreviewPage.index(snapshot))
        }
        router.get("/version") { _, _ -> Response in
            let generation = await workspace.generation()
            return Response(
                status: .ok, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(string: "\(generation)\n")))
        }
        router.get("/static/preview.css") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/css; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: PreviewAssets.css)))
        }
        router.get("/static/live.js") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/javascript; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: PreviewAssets.script)))
        }
        router.get("/month/:month") { request, context -> Response in
            guard let month = month(context) else {
                return await notFound(workspace)
            }
            do throws(PreviewProblem) {
                let (snapshot, preview) = try await workspace.month(month, language: language(request))
                // A member's own copy, when staff asked for one by line.
                var personal: PreviewPage.Personal?
                if let line = memberLine(request) {
                    do throws(PreviewProblem) {
                        personal = .copy(line: line, try await workspace.personal(month, line: line))
                    } catch {
                        personal = .problem(line: line, error)
                    }
                }
                return html(PreviewPage.month(month, preview: preview, snapshot: snapshot, personal: personal))
            } catch {
                return await problem(error, workspace)
            }
        }
        router.get("/month/:month/personal.html") { request, context -> Response in
            guard let month = month(context), let line = memberLine(request) else { return await notFound(workspace) }
            do throws(PreviewProblem) {
                let copy = try await workspace.personal(month, line: line)
                return newsletter(Data(copy.html.utf8), dark: request.uri.queryParameters.get("scheme") == "dark")
            } catch {
                return await problem(error, workspace)
            }
        }
        router.get("/month/:month/:file") { request, context -> Response in
            guard let month = month(context),
                let file = context.parameters.get("file"), let type = contentTypes[file]
            else { return await notFound(workspace) }
            do throws(PreviewProblem) {
                let (_, preview) = try await workspace.month(month, language: language(request))
                guard let data = preview.files[file] else {
                    if file == Project.workbookName, let error = preview.workbookError {
                        return await problem(.failed(error), workspace)
                    }
                    return await notFound(workspace)
                }
                var headers: HTTPFields = [.contentType: type]
                let download =
                    request.uri.queryParameters.get("download") != nil || file == "digest.eml" || file == "report.xlsx"
                if download {
                    headers[.contentDisposition] =
                        "attachment; filename=\"\(downloadName(file, month: month, language: language(request)))\""
                }
                if file == "digest.html", !download {
                    return newsletter(data, dark: request.uri.queryParameters.get("scheme") == "dark")
                }
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
            } catch {
                return await problem(error, workspace)
            }
        }
        // The web archive, as it would appear at mail.archive: every file of
        // the site by its own name, nothing else.
        router.get("/site/") { request, _ -> Response in
            // The router takes /site and /site/ for one path; relative links
            // need the slash.
            guard request.uri.path.hasSuffix("/") else {
                return Response(status: .movedPermanently, headers: [.location: "/site/"])
            }
            return await siteFile("index.html", workspace)
        }
        // A file, or (with its slash) a language's folder: the archive in
        // the coalition's other languages is in folders (`fr/`), as
        // `digest archive` writes it.
        router.get("/site/:file") { request, context -> Response in
            guard let file = context.parameters.get("file") else { return await notFound(workspace) }
            return await siteFile(request.uri.path.hasSuffix("/") ? file + "/index.html" : file, workspace)
        }
        // (Hummingbird names a position's parameter once: the language is `file` here.)
        router.get("/site/:file/:page") { _, context -> Response in
            guard let language = context.parameters.get("file"), let page = context.parameters.get("page")
            else { return await notFound(workspace) }
            return await siteFile(language + "/" + page, workspace)
        }
        router.get("/period") { request, _ -> Response in
            // The index's range form: to that period's own page.
            let text = (request.uri.queryParameters.get("range") ?? "").trimmingCharacters(in: .whitespaces)
            // Not a period: the page that says so, as for any unknown address.
            guard let period = try? Period(parsing: text) else { return await notFound(workspace) }
            return Response(status: .seeOther, headers: [.location: "/period/\(period)"])
        }
        router.get("/period/:period") { _, context -> Response in
            guard let period = reportPeriod(context) else { return await notFound(workspace) }
            do throws(PreviewProblem) {
                let (snapshot, digest, _) = try await workspace.period(period)
                return html(PreviewPage.period(period, digest: digest, snapshot: snapshot))
            } catch {
                return await problem(error, workspace)
            }
        }
        router.get("/period/:period/report.xlsx") { _, context -> Response in
            guard let period = reportPeriod(context) else { return await notFound(workspace) }
            do throws(PreviewProblem) {
                let (_, _, data) = try await workspace.period(period)
                return Response(
                    status: .ok,
                    headers: [
                        .contentType: xlsxType,
                        .contentDisposition: "attachment; filename=\"report-\(period).xlsx\"",
                    ],
                    body: .init(byteBuffer: ByteBuffer(bytes: data)))
            } catch {
                return await problem(error, workspace)
            }
        }
        return router
    }

    /// The newsletter for a frame of the preview: sandboxed (no script,
    /// nothing fetched but images) but of the preview's own origin, so the
    /// page around it can give the frame the height of its content. With
    /// `dark`, the newsletter's dark-scheme rules apply whatever the
    /// browser's setting: the preview shows both looks side by side.
    static func newsletter(_ data: Data, dark: Bool) -> Response {
        var body = data
        if dark {
            body = Data(
                String(decoding: data, as: UTF8.self)
                    .replacingOccurrences(of: "@media (prefers-color-scheme: dark)", with: "@media all").utf8)
        }
        let headers: HTTPFields = [
            .contentType: "text/html; charset=utf-8",
            .contentSecurityPolicy:
                "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; frame-ancestors 'self'; sandbox allow-same-origin",
        ]
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// A download's file name: `digest-2020-02.eml`, `digest-2020-02.fr.html`,
    /// `report-2020-02.xlsx` (the file's own name, the month in it, once).
    static func downloadName(_ file: String, month: YearMonth, language: String?) -> String {
        guard let dot = file.lastIndex(of: ".") else { return "\(file)-\(month)" }
        let stem = file[..<dot]
        let ext = file[file.index(after: dot)...]
        return "\(stem)-\(month)" + (language.map { ".\($0)" } ?? "") + ".\(ext)"
    }

    /// `?member=` as a line number of `members.csv`.
    static func memberLine(_ request: Request) -> Int? {
        request.uri.queryParameters.get("member").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            .flatMap { $0 > 1 && $0 < 10_000_000 ? $0 : nil }
    }

    /// The `:month` parameter when it is a real `YYYY-MM`.
    static func month(_ context: BasicRequestContext) -> YearMonth? {
        context.parameters.get("month").flatMap { YearMonth(iso: $0) }
    }

    /// The `lang` query parameter as a language tag; nil when absent (the
    /// coalition's own language). A tag the coalition does not write in
    /// finds no page (404).
    static func language(_ request: Request) -> String? {
        guard let text = request.uri.queryParameters.get("lang"), !text.isEmpty else { return nil }
        return LanguageTag.normalised(text) ?? "-"
    }

    /// The `:period` parameter when it names a month, quarter, year or range.
    static func reportPeriod(_ context: BasicRequestContext) -> Period? {
        context.parameters.get("period").flatMap { try? Period(parsing: $0) }  // not one: not found
    }

    static let xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    static let contentTypes: [String: String] = [
        "digest.html": "text/html; charset=utf-8",
        "digest.txt": "text/plain; charset=utf-8",
        "digest.json": "application/json; charset=utf-8",
        "digest.eml": "message/rfc822",
        "report.xlsx": xlsxType,
        "next-call.ics": "text/calendar; charset=utf-8",
    ]

    /// One file of the web archive, or 404 for a name the site does not have.
    static func siteFile(_ name: String, _ workspace: PreviewWorkspace) async -> Response {
        do throws(PreviewProblem) {
            let site = try await workspace.site()
            if site.files[name] == nil, site.files[name + "/index.html"] != nil {
                return Response(status: .movedPermanently, headers: [.location: "/site/\(name)/"])
            }
            guard let data = site.files[name], let type = siteType(name) else { return await notFound(workspace) }
            var headers: HTTPFields = [.contentType: type, .cacheControl: "no-store"]
            // The archive's pages: their own styles, nothing fetched, no script.
            headers[.contentSecurityPolicy] =
                "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
        } catch {
            return await problem(error, workspace)
        }
    }

    /// The content type of a file of the web archive, by its extension.
    static func siteType(_ name: String) -> String? {
        if name.hasSuffix(".html") { return "text/html; charset=utf-8" }
        if name == "feed.xml" { return "application/atom+xml; charset=utf-8" }
        if name.hasSuffix(".xml") { return "application/xml; charset=utf-8" }
        if name.hasSuffix(".ics") { return "text/calendar; charset=utf-8" }
        return nil
    }

    static func html(_ page: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: page)))
    }

    static func notFound(_ workspace: PreviewWorkspace) async -> Response {
        html(PreviewPage.problem(.notFound, generation: await workspace.generation()), status: .notFound)
    }

    static func problem(_ error: PreviewProblem, _ workspace: PreviewWorkspace) async -> Response {
        let generation = await workspace.generation()
        switch error {
        case .notFound, .outOfReach:
            return html(PreviewPage.problem(error, generation: generation), status: .notFound)
        case .broken, .failed:
            return html(PreviewPage.problem(error, generation: generation), status: .internalServerError)
        }
    }
}

/// Refuses what another site's page asks of the preview: an image, a
/// script, a frame or a link pointing at `http://127.0.0.1:8080/period/…`
/// would otherwise make the staff member's browser start work that takes
/// minutes. Browsers say where a request comes from in `Sec-Fetch-Site`
/// (Fetch Metadata); the preview answers its own pages (`same-origin`),
/// the address bar and bookmarks (`none`), and a link from elsewhere to
/// its index, which costs nothing. A browser too old to send the header
/// is answered as before.
struct FetchSiteMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    static let site = HTTPField.Name("Sec-Fetch-Site")
    static let mode = HTTPField.Name("Sec-Fetch-Mode")

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let name = Self.site, let site = request.headers[name]?.lowercased(), site != "same-origin",
            site != "none"
        else { return try await next(request, context) }
        let navigation = Self.mode.flatMap { request.headers[$0] }?.lowercased() == "navigate"
        if navigation, request.uri.path == "/" || request.uri.path.hasPrefix("/static/") {
            return try await next(request, context)
        }
        return Response(
            status: .forbidden, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
            body: .init(
                byteBuffer: ByteBuffer(
                    string:
                        "This preview answers only its own pages. Open its index (/) in the address bar and follow its links.\n"
                )))
    }
}
