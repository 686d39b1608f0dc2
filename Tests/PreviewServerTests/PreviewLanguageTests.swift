import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import PreviewServer

@Suite("The preview in each of the coalition's languages")
struct PreviewLanguageTests {
    @Test(
        "every month page switches language; the newsletter, text and downloads follow; what is untranslated is named")
    func languageSwitch() async throws {
        try await sampleApp().test(.router) { client in
            try await client.execute(uri: "/month/2019-05", method: .get) { response in
                #expect(response.status == .ok)
                #expect(
                    response.text.contains(
                        "Language: <strong lang=\"en\" aria-current=\"page\">English</strong> · <a href=\"/month/2019-05?lang=fr\" hreflang=\"fr\" lang=\"fr\">Français</a> · <a href=\"/month/2019-05?lang=es\" hreflang=\"es\" lang=\"es\">Español</a>"
                    ))
                #expect(!response.text.contains("Not yet translated"))
            }
            try await client.execute(uri: "/month/2019-05?lang=es", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("src=\"/month/2019-05/digest.html?lang=es\""))
                #expect(response.text.contains("href=\"/month/2019-05/report.xlsx?lang=es&download=1\""))
                #expect(
                    response.text.contains(
                        "Not yet translated into Spanish: 1 call&#39;s notes stay in English, marked as such in the newsletter."
                    ))
                // The plain text is the Spanish digest's.
                #expect(response.text.contains("Las notas de esta llamada están en inglés."))
            }
            // June 2019 is translated: nothing to name.
            try await client.execute(uri: "/month/2019-06?lang=fr", method: .get) { response in
                #expect(
                    response.text.contains(
                        "Justice For All — juin 2019\u{A0}: Déclaration de Rome, Ottawa et préparation du FPHN"))
                #expect(!response.text.contains("Not yet translated"))
            }
            try await client.execute(uri: "/month/2019-06/digest.html?lang=fr", method: .get) { response in
                #expect(response.text.contains("<html lang=\"fr\">"))
                #expect(response.text.contains("Retour sur la conférence de Rome"))
            }
            try await client.execute(uri: "/month/2019-06/report.xlsx?lang=fr&download=1", method: .get) { response in
                #expect(
                    response.headers[.contentDisposition] == "attachment; filename=\"report-2019-06.fr.xlsx\"")
            }
            // A language the coalition does not write in, or not a language: no page.
            for uri in ["/month/2019-06?lang=de", "/month/2019-06?lang=%3Cb%3E", "/month/2019-06/digest.html?lang=it"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .notFound, "\(uri)")
                }
            }
        }
    }
}
