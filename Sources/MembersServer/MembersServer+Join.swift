import DigestApplication
import Foundation
import Hummingbird
import NIOCore

extension MembersServer {
    /// `/subscribe` and `/confirm`: members who join themselves. The list
    /// is the one `?list=` names (the first when none does); the page's
    /// language is `?lang=`, else the browser's, else the coalition's.
    static func joinRoutes(_ router: Router<MembersContext>, lists: [Listed], fixed: FixedPages) {
        guard let first = lists.first else { return }
        let several = lists.count > 1
        let named: @Sendable (Request) -> Listed? = { request in
            guard let id = request.uri.queryParameters.get("list") else { return first }
            return lists.first { $0.id == String(id) }
        }
        let language: @Sendable (Request, Listed) -> String = { request, list in
            list.pages.pageLanguage(
                asked: request.uri.queryParameters.get("lang").map { String($0) },
                accept: request.headers[.acceptLanguage])
        }
        let action: @Sendable (Listed, String) -> String = { list, language in
            "subscribe?lang=\(language)" + (several ? "&list=\(list.id)" : "")
        }
        router.get("/subscribe") { request, _ -> Response in
            guard let list = named(request), list.joins.confirmPage != nil else { return fixed.notFound(for: request) }
            let shown = language(request, list)
            return await list.answer.run(request) { () async throws(ProjectError) in
                list.pages.subscribe(language: shown, action: action(list, shown))
            }
        }
        router.post("/subscribe") { request, context -> Response in
            guard let list = named(request), list.joins.confirmPage != nil else { return fixed.notFound(for: request) }
            let body: ByteBuffer
            switch await Self.body(request, context) {
            case .success(let read): body = read
            case .failure: return fixed.tooLarge
            }
            let shown = language(request, list)
            let form = JoinFormBody(body).form(default: shown)
            return await list.answer.run(request) { () async throws(ProjectError) in
                let problems = list.joins.problems(form)
                guard problems.isEmpty else {
                    return list.pages.subscribe(
                        language: shown, action: action(list, shown), form: form, problems: problems)
                }
                try await list.joins.request(form, pageLanguage: shown)
                return list.pages.joinSent(language: shown, address: form.email)
            }
        }
        router.get("/confirm") { request, _ -> Response in
            let token = request.uri.queryParameters.get("c").map { String($0) } ?? ""
            return await first.answer.run(request) { () async throws(ProjectError) in
                for list in lists {
                    if let pending = try await list.joins.pending(token) {
                        return list.pages.confirm(pending, token: token)
                    }
                }
                return nil
            }
        }
        router.post("/confirm") { request, context -> Response in
            guard case .success = await Self.body(request, context) else { return fixed.tooLarge }
            let token = request.uri.queryParameters.get("c").map { String($0) } ?? ""
            return await first.answer.run(request) { () async throws(ProjectError) in
                for list in lists {
                    if let joined = try await list.joins.confirm(token) { return list.pages.confirmed(joined) }
                }
                return nil
            }
        }
    }
}

/// The `POST /subscribe` form: `email`, `name`, `country`, `language`.
struct JoinFormBody: Decodable {
    var email: String?
    var name: String?
    var country: String?
    var language: String?

    init(_ body: ByteBuffer) {
        let decoded = try? URLEncodedFormDecoder().decode(JoinFormBody.self, from: String(buffer: body))
        email = decoded?.email
        name = decoded?.name
        country = decoded?.country
        language = decoded?.language
    }

    func form(default language: String) -> JoinService.Form {
        JoinService.Form(
            email: email ?? "", name: name ?? "", country: country ?? "", language: self.language ?? language)
    }
}
