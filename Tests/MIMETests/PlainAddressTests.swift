import Testing

@testable import MIME

@Suite("The fast path of address checking")
struct PlainAddressTests {
    @Test(
        "plain addresses pass at once; everything else gets the full checks' answer",
        arguments: [
            ("amina.odhiambo@example.org", true), ("a+b_c-d@mail.example.co.uk", true), ("A@B.ORG", true),
            ("x@example", false), (".a@example.org", false), ("a.@example.org", false), ("a..b@example.org", false),
            ("a@-example.org", false), ("a@example-.org", false), ("a@example..org", false), ("a@.example.org", false),
            ("a@example.org.", false), ("@example.org", false), ("a@", false), ("a@b@example.org", false),
            ("a b@example.org", false), ("\"a b\"@example.org", false), ("a@[192.0.2.1]", false),
            ("o'neil@example.org", false), ("é@example.org", false), ("", false),
            (String(repeating: "a", count: 65) + "@example.org", false),
            ("a@" + String(repeating: "b", count: 64) + ".org", false),
        ])
    func shapes(address: String, plain: Bool) {
        #expect(MailAddress.isPlainAddress(address) == plain)
        if plain { #expect(MailAddress.fullAddressProblem(address, quoting: false) == nil) }
        #expect(
            MailAddress.addressProblem(address)
                == (plain ? nil : MailAddress.fullAddressProblem(address, quoting: true)))
    }

    @Test("random strings: nothing the fast path takes is refused by the full checks")
    func random() {
        let local = Array("ab.-_+Z9")
        let domain = Array("ab.-Z9")
        let odd = Array("@ \"'[]é.-")
        var generator = SystemRandomNumberGenerator()
        var taken = 0
        func pick(_ letters: [Character], _ most: Int) -> String {
            String(
                (0..<Int.random(in: 0...most, using: &generator)).map { _ in
                    letters.randomElement(using: &generator) ?? "a"
                })
        }
        for _ in 0..<50_000 {
            var letters = Array(pick(local, 5) + "@" + pick(domain, 9))
            if Bool.random(using: &generator) {
                letters.insert(
                    odd.randomElement(using: &generator) ?? "@",
                    at: Int.random(in: 0..<letters.count, using: &generator))
            }
            let text = String(letters)
            if MailAddress.isPlainAddress(text) {
                taken += 1
                #expect(MailAddress.fullAddressProblem(text, quoting: false) == nil, "\(text)")
            }
        }
        #expect(taken > 100)
    }
}
