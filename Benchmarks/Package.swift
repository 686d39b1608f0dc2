// swift-tools-version: 6.0
// Benchmarks live in their own package so that ordinary builds and CI test
// runs never compile them. Run them with `make bench`.
import PackageDescription

let package = Package(
    name: "DigestBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "CoalitionDigest", path: "..")],
    targets: [
        .executableTarget(
            name: "digest-bench",
            dependencies: [
                .product(name: "CoalitionData", package: "CoalitionDigest"),
                .product(name: "DigestModel", package: "CoalitionDigest"),
                .product(name: "DigestRender", package: "CoalitionDigest"),
                .product(name: "DigestMailing", package: "CoalitionDigest"),
                .product(name: "DigestSend", package: "CoalitionDigest"),
                .product(name: "DonorReport", package: "CoalitionDigest"),
                .product(name: "XLSXWriter", package: "CoalitionDigest"),
                .product(name: "Wording", package: "CoalitionDigest"),
            ]
        )
    ],
    swiftLanguageModes: [.v6]
)
