// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "CoalitionDigest",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "digest", targets: ["digest"]),
        .library(name: "CoalitionData", targets: ["CoalitionData"]),
        .library(name: "DigestModel", targets: ["DigestModel"]),
        .library(name: "DigestRender", targets: ["DigestRender"]),
        .library(name: "DigestCommands", targets: ["DigestCommands"]),
        .library(name: "DonorReport", targets: ["DonorReport"]),
        .library(name: "DigestArchive", targets: ["DigestArchive"]),
        .library(name: "XLSXWriter", targets: ["XLSXWriter"]),
        .library(name: "DigestMailing", targets: ["DigestMailing"]),
        .library(name: "SMTP", targets: ["SMTP"]),
        .library(name: "DigestSend", targets: ["DigestSend"]),
        .library(name: "WholeFiles", targets: ["WholeFiles"]),
        .library(name: "ListState", targets: ["ListState"]),
        .library(name: "Wording", targets: ["Wording"]),
        .library(name: "DigestApplication", targets: ["DigestApplication"]),
        .library(name: "MembersServer", targets: ["MembersServer"]),
        .library(name: "PostgresState", targets: ["PostgresState"]),
        .library(name: "DKIM", targets: ["DKIM"]),
        .library(name: "ProviderWebhooks", targets: ["ProviderWebhooks"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // C libraries from Debian's -dev packages. Only the module named after
        // each one imports it.
        .systemLibrary(
            name: "CCmarkGFM",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
        ),
        .systemLibrary(
            name: "CXlsxWriter",
            pkgConfig: "xlsxwriter",
            providers: [.apt(["libxlsxwriter-dev"])]
        ),
        // glibc's resolver (libc6-dev has no pkg-config file): DNS for digest mail check.
        .systemLibrary(name: "CResolv", path: "Sources/CResolv", providers: [.apt(["libc6-dev"])]),
        // Whether a domain is ready for bulk mail: DMARC, SPF (evaluated for
        // the relay), DKIM records against the keys, alignment, MX.
        .target(name: "MailDomain", dependencies: ["CResolv"]),
        .target(name: "MarkdownTree", dependencies: ["CCmarkGFM"]),
        .target(name: "XLSXWriter", dependencies: ["CXlsxWriter"]),
        .target(name: "MIME"),
        // Delivery reports read back from the bounce mailbox (Maildir, mbox).
        .target(name: "DeliveryReports", dependencies: ["MIME"]),
        // Files written whole: temporary names, flush and rename, the month
        // folder's swap, the archive's changed-files-only writes.
        .target(name: "WholeFiles"),
        .target(
            name: "DonorReport",
            dependencies: ["CoalitionData", "DigestModel", "XLSXWriter", "MarkdownTree", "WholeFiles", "Wording"]),
        // HTTP/1.1 connections with limits (connections, idle, slow requests),
        // for the staff preview and the members' public page.
        .target(
            name: "BoundedHTTP",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
            ]
        ),
        // The staff preview: HTTP only; every page comes from DigestApplication.
        .target(
            name: "PreviewServer",
            dependencies: [
                "BoundedHTTP", "DigestApplication", "CoalitionData", "DigestModel",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        // digest serve: the members' unsubscribe and preferences pages.
        .target(
            name: "MembersServer",
            dependencies: [
                "BoundedHTTP", "DigestApplication",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .target(
            name: "CoalitionData",
            dependencies: ["MarkdownTree", "MIME", "WholeFiles", .product(name: "Yams", package: "Yams")],
            resources: [.copy("Resources/countries.tsv")]
        ),
        // The words readers see, one catalogue a language (gettext PO files in
        // templates/words/), with dates, numbers and lists from the locale.
        .target(name: "Wording", dependencies: ["CoalitionData"]),
        .target(name: "DigestModel", dependencies: ["CoalitionData", "MarkdownTree", "Wording"]),
        .target(
            name: "DigestRender",
            dependencies: [
                "CoalitionData", "DigestModel", "MarkdownTree", "MIME", "Wording",
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        .target(name: "DigestArchive", dependencies: ["CoalitionData", "DigestModel", "DigestRender", "Wording"]),
        // A digest for each member: the shared body rendered once, each
        // member's greeting, country news and unsubscribe token spliced in.
        .target(
            name: "DigestMailing",
            dependencies: [
                "CoalitionData", "DigestModel", "DigestRender", "MIME", "Wording",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // An SMTP submission client over SwiftNIO, with STARTTLS or TLS from NIOSSL.
        .target(
            name: "SMTP",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // The list's state, kept where deleting output/ cannot reach it: the
        // suppression list (with bounce history and preferences), and the
        // state folder's layout.
        .target(
            name: "ListState", dependencies: ["MIME", "WholeFiles", .product(name: "GRDB", package: "GRDB.swift")]),
        // digest send: the ledger (SQLite through GRDB) and the transports.
        .target(
            name: "DigestSend",
            dependencies: [
                "CoalitionData", "DigestMailing", "DKIM", "ListState", "SMTP", "WholeFiles",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        // Mail providers' webhooks: SNS's signatures (swift-certificates for
        // its certificate), Postmark's credentials, SendGrid's ECDSA,
        // Mailgun's HMAC; their events read. No I/O.
        .target(
            name: "ProviderWebhooks",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
            ]
        ),
        // DKIM signatures (RFC 6376, RFC 8463) with swift-crypto's RSA and Ed25519.
        .target(
            name: "DKIM",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        // The list's state in PostgreSQL (PostgresNIO's pooled client): the
        // same ListStore and MonthLedger as the SQLite ones, the send's lock
        // an advisory lock, the schema by migrations under one.
        .target(
            name: "PostgresState",
            dependencies: [
                "CoalitionData", "DigestSend", "ListState", "MIME",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // The application layer: the pipeline (load, render, report,
        // archive, check), month and format policy, mail settings, the
        // transport, the outbox and the send. Every front end goes through it.
        .target(
            name: "DigestApplication",
            dependencies: [
                "CoalitionData", "DeliveryReports", "DigestArchive", "DigestMailing", "DigestModel", "DigestRender",
                "DigestSend", "DKIM", "DonorReport", "ListState", "MIME", "PostgresState", "SMTP", "WholeFiles",
                "Wording",
                "XLSXWriter", "ProviderWebhooks", "MailDomain", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // The command line: parsing, printing and exit statuses only.
        .target(
            name: "DigestCommands",
            dependencies: [
                "DigestApplication", "CoalitionData", "DigestModel", "PreviewServer", "MembersServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "digest",
            dependencies: ["DigestCommands", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(name: "MarkdownTreeTests", dependencies: ["MarkdownTree"]),
        .testTarget(name: "XLSXWriterTests", dependencies: ["XLSXWriter"]),
        .testTarget(name: "MIMETests", dependencies: ["MIME"]),
        .testTarget(name: "MailDomainTests", dependencies: ["MailDomain"]),
        .testTarget(
            name: "ProviderWebhooksTests",
            dependencies: ["ProviderWebhooks", .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(
            name: "DKIMTests",
            dependencies: [
                "DKIM", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]),
        .testTarget(name: "DeliveryReportsTests", dependencies: ["DeliveryReports", "DigestTestSupport"]),
        .testTarget(
            name: "PreviewServerTests",
            dependencies: [
                "DigestTestSupport", "PreviewServer", "DigestApplication", "CoalitionData",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "MembersServerTests",
            dependencies: [
                "DigestTestSupport", "MembersServer", "DigestApplication", "ListState",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "DonorReportTests",
            dependencies: ["DigestTestSupport", "DonorReport", "DigestModel", "CoalitionData", "XLSXWriter", "Wording"]),
        .testTarget(name: "CoalitionDataTests", dependencies: ["CoalitionData", "MarkdownTree"]),
        .testTarget(name: "DigestModelTests", dependencies: ["DigestTestSupport", "DigestModel", "CoalitionData"]),
        .testTarget(
            name: "DigestRenderTests",
            dependencies: ["DigestTestSupport", "DigestRender", "DigestModel", "CoalitionData", "MarkdownTree"],
            exclude: ["Golden"]
        ),
        .testTarget(
            name: "DigestArchiveTests",
            dependencies: ["DigestTestSupport", "DigestArchive", "DigestRender", "DigestModel", "CoalitionData"]
        ),
        .testTarget(
            name: "DigestMailingTests",
            dependencies: [
                "DigestTestSupport", "DigestMailing", "DigestRender", "DigestModel", "CoalitionData", "MIME",
            ]
        ),
        .testTarget(
            name: "SMTPTests",
            dependencies: [
                "SMTP", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "DigestSendTests",
            dependencies: ["DigestTestSupport", "DigestSend", "DigestMailing", "CoalitionData", "SMTP"]),
        .testTarget(
            name: "DigestCommandsTests",
            dependencies: [
                "DigestTestSupport",
                "DigestCommands", "DigestApplication", "CoalitionData", "DigestModel", "DigestRender", "DigestSend",
                "WholeFiles",
            ]
        ),
        .testTarget(
            name: "DigestApplicationTests",
            dependencies: [
                "DigestTestSupport", "DigestApplication", "CoalitionData", "DigestModel", "DigestRender", "DigestSend",
            ]
        ),
        // What the test targets share: the repository's place and its English words.
        .target(name: "DigestTestSupport", dependencies: ["Wording"], path: "Tests/DigestTestSupport"),
        .testTarget(name: "WholeFilesTests", dependencies: ["WholeFiles"]),
        .testTarget(
            name: "ListStateTests",
            dependencies: ["ListState", "MIME", .product(name: "GRDB", package: "GRDB.swift")]),
        // Every store passes one suite: SQLite, and a real PostgreSQL the
        // tests start (Tests/postgres/cluster).
        .testTarget(
            name: "StateStoreTests",
            dependencies: [
                "DigestTestSupport", "ListState", "PostgresState", "DigestSend", "MIME", "CoalitionData",
                .product(name: "Subprocess", package: "swift-subprocess"),
            ]),
        .testTarget(name: "WordingTests", dependencies: ["Wording", "CoalitionData", "DigestTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
