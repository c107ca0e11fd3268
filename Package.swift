// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "AEMReseal",
    products: [
        .executable(name: "aem-reseal", targets: ["aem-reseal"]),
        .library(name: "AEMCore", targets: ["AEMCore"]),
        .library(name: "AEMTPM", targets: ["AEMTPM"]),
        .library(name: "AEMCycle", targets: ["AEMCycle"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // File descriptors and errno as Swift types: retry on EINTR, close after use, typed Errno.
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
    ],
    targets: [
        // System libraries, reached through small shim headers.
        .systemLibrary(name: "CTSS2", providers: [.apt(["libtss2-dev"])]),
        // TrouSerS' TSS 1.2 client library: TPM 1.2 through the tcsd daemon.
        .systemLibrary(name: "CTspi", providers: [.apt(["libtspi-dev"])]),
        .systemLibrary(name: "COpenSSL", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        // Intel ISA-L's inflate: gzip modules at twice zlib's speed, streaming (docs/performance.md).
        .systemLibrary(name: "CIsal", providers: [.apt(["libisal-dev"])]),
        .systemLibrary(name: "CLzma", providers: [.apt(["liblzma-dev"])]),
        .systemLibrary(name: "CLzo", providers: [.apt(["liblzo2-dev"])]),
        // Linux calls glibc declares only under _GNU_SOURCE (renameat2).
        .systemLibrary(name: "CLinux"),

        // Pure logic: digests, event logs, GRUB, boot flows, prediction, AEM formats.
        .target(
            name: "AEMCore",
            dependencies: [
                "COpenSSL", "CZlib", "CIsal", "CLzma", "CLzo", "CLinux",
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        // The only code that talks to a TPM.
        .target(name: "AEMTPM", dependencies: ["AEMCore", "CTSS2", "CTspi", "COpenSSL"]),
        // The update cycle: gathering a boot's facts, predicting, sealing,
        // staging, verifying, rolling back and recording. Engines return
        // outcomes and throw `CycleError`; the CLI prints and maps statuses.
        .target(
            name: "AEMCycle",
            dependencies: ["AEMCore", "AEMTPM", .product(name: "SystemPackage", package: "swift-system")]
        ),
        // The command-line tool: options, commands and output.
        .executableTarget(
            name: "aem-reseal",
            dependencies: [
                "AEMCore", "AEMTPM", "AEMCycle",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),

        // Helpers shared by the test targets: fixtures, a software TPM, the CLI runner.
        .target(
            name: "AEMTestSupport",
            dependencies: ["AEMCore", "AEMTPM", .product(name: "SystemPackage", package: "swift-system")],
            path: "Tests/AEMTestSupport"),
        // libFuzzer entry points for every parser (built and run by Fuzz/run).
        .target(
            name: "AEMFuzzTargets", dependencies: ["AEMCore", "AEMTPM"], path: "Fuzz", exclude: ["run", "corpus"]),
        // Drives the boot simulator from the shell for `make demo`.
        .executableTarget(name: "aem-demo-helper", dependencies: ["AEMTestSupport"], path: "Tests/DemoHelper"),
        .testTarget(name: "AEMCoreTests", dependencies: ["AEMCore", "AEMTestSupport"], exclude: ["Regressions"]),
        .testTarget(name: "AEMTPMTests", dependencies: ["AEMTPM", "AEMCore", "AEMTestSupport"]),
        .testTarget(name: "AEMCycleTests", dependencies: ["AEMCycle", "AEMCore", "AEMTestSupport"]),
        .testTarget(name: "aem-resealTests", dependencies: ["aem-reseal", "AEMCore", "AEMCycle", "AEMTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
