// swift-tools-version:6.0
// The course package: shared libraries in Sources/, one executable per chapter in Chapters/,
// tests in Tests/. See README.md for the two commands a newcomer needs.
import Foundation
import PackageDescription

/// Settings every Swift target shares. The numeric code runs on unsafe buffers in parallel
/// closures, so it uses the Swift 5 language mode (no strict-concurrency checking).
let common: [SwiftSetting] = [.swiftLanguageMode(.v5)]

/// The engine is compiled for the CPU it is built on (AVX-512 where present), and its GEMM fuses
/// multiply-adds: without `-target-cpu` Swift calls a library fmaf per lane, which is 100× slower.
/// `ENGINE_PORTABLE=1 swift build -c release` builds a binary for any x86-64 instead (slower,
/// and its float results can differ in the last bits from the committed figures).
let portable = Context.environment["ENGINE_PORTABLE"] != nil
#if arch(x86_64)
let engineSettings: [SwiftSetting] = portable ? common : common + [.unsafeFlags(["-target-cpu", "native"]), .define("ENGINE_FMA")]
#else
let engineSettings: [SwiftSetting] = common  // arm64 always has fused multiply-add
#endif

/// A chapter is a library of steps (tested directly) and an executable that narrates them.
/// The executable is `chNN-name` in lower case unless `executable` names it.
/// `extraDeps` are added to the executable only (chapter 02 uses them for `--use-exercise`);
/// `extraFiles` are other files in the chapter folder (scripts) that are not part of the build.
func chapter(_ number: String, _ name: String, module: String, deps: [Target.Dependency], executable: String? = nil,
             extraDeps: [Target.Dependency] = [], extraFiles: [String] = []) -> [Target] {
    let folder = "Chapters/\(number)-\(name)"
    return [
        .target(name: module, dependencies: deps, path: "\(folder)/Steps", swiftSettings: common),
        .executableTarget(
            name: executable ?? "ch\(number)-\(name.lowercased())",
            dependencies: [.byName(name: module), "Notebook", "Engine", "Plot", "Datasets", "Models", "Diffusion"] + extraDeps,
            path: folder, exclude: ["Steps"] + extraFiles, sources: ["main.swift"], swiftSettings: common),
    ]
}

/// The exercises' reference solutions. A teacher deletes Sources/ExerciseSolutions from the copy
/// handed to students; the package then builds without them (`grade --solutions` says so).
let hasSolutions = FileManager.default.fileExists(atPath: Context.packageDirectory + "/Sources/ExerciseSolutions")
let solutionsDependency: [Target.Dependency] = hasSolutions ? ["ExerciseSolutions"] : []
let solutionsTargets: [Target] = hasSolutions
    ? [.target(name: "ExerciseSolutions", dependencies: ["Exercises"], path: "Sources/ExerciseSolutions", swiftSettings: common)]
    : []

let package = Package(
    name: "GenerativeAIFromScratch",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "Engine", targets: ["Engine"]),
        .library(name: "Plot", targets: ["Plot"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CPNG", path: "Sources/CPNG", pkgConfig: "libpng",
            providers: [.apt(["libpng-dev"]), .brew(["libpng"])]),
        // One inline C function: the GEMM kernel's software prefetch (Swift has no intrinsic for it).
        .target(name: "CPrefetch", path: "Sources/CPrefetch"),
        .target(name: "Engine", dependencies: ["CPrefetch"], path: "Sources/Engine", exclude: ["README.md", "Reference/README.md", "Fast/README.md"],
                swiftSettings: engineSettings),
        .target(name: "Plot", dependencies: ["CPNG"], path: "Sources/Plot", swiftSettings: common),
        .target(name: "Datasets", dependencies: ["Engine"], path: "Sources/Datasets", swiftSettings: common),
        .target(name: "Models", dependencies: ["Engine"], path: "Sources/Models", swiftSettings: common),
        .target(name: "Diffusion", dependencies: ["Engine"], path: "Sources/Diffusion", swiftSettings: common),
        .target(name: "Audio", dependencies: ["Engine"], path: "Sources/Audio", swiftSettings: common),
        .target(
            name: "Notebook",
            dependencies: ["Engine", "Plot", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/Notebook", swiftSettings: common),
        .executableTarget(
            name: "walkthrough",
            dependencies: ["Notebook", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/Walkthrough", swiftSettings: common),
        .executableTarget(
            name: "generate",
            dependencies: ["Engine", "Models", "Datasets", "Plot", "Ch08TextToImage", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/Generate", swiftSettings: common),
        .executableTarget(
            name: "bench",
            dependencies: ["Engine", "Models", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/Bench", swiftSettings: common),

        // Exercises: the student's stubs, the reference solutions kept apart, the checks that
        // grade either, and `grade` (see README, "For teachers: exercises").
        .target(name: "Exercises", path: "Sources/Exercises", swiftSettings: common),
        .target(name: "ExerciseGrading", dependencies: ["Exercises", "Engine", "Datasets"] + solutionsDependency,
                path: "Sources/ExerciseGrading", swiftSettings: common),
        .executableTarget(
            name: "grade",
            dependencies: ["ExerciseGrading", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/Grade", swiftSettings: common),

        .testTarget(name: "EngineTests", dependencies: ["Engine"], exclude: ["Fixtures"], swiftSettings: common),
        .testTarget(name: "PlotTests", dependencies: ["Plot"], swiftSettings: common),
        .testTarget(name: "NotebookTests", dependencies: ["Notebook"], swiftSettings: common),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets"], exclude: ["Fixtures", "make_fixture_ids.py"], swiftSettings: common),
        .testTarget(name: "ModelsTests", dependencies: ["Models"], exclude: ["Fixtures"], swiftSettings: common),
        .testTarget(name: "DiffusionTests", dependencies: ["Diffusion"], swiftSettings: common),
        .testTarget(name: "Ch00EngineTests", dependencies: ["Ch00Engine"], swiftSettings: common),
        .testTarget(name: "Ch01TokensTests", dependencies: ["Ch01Tokens"], swiftSettings: common),
        .testTarget(name: "Ch02AttentionTests", dependencies: ["Ch02Attention"], swiftSettings: common),
        .testTarget(name: "Ch03DataTests", dependencies: ["Ch03Data", "Datasets"], swiftSettings: common),
        .testTarget(name: "Ch04ScalingTests", dependencies: ["Ch04Scaling", "Notebook"], swiftSettings: common),
        .testTarget(name: "Ch05DiffusionTests", dependencies: ["Ch05Diffusion"], swiftSettings: common),
        .testTarget(name: "Ch06LatentTests", dependencies: ["Ch06Latent"], swiftSettings: common),
        .testTarget(name: "AudioTests", dependencies: ["Audio", "Engine"], swiftSettings: common),
        .testTarget(name: "Ch11AudioTests", dependencies: ["Ch11Audio", "Audio", "Datasets", "Models", "Engine"], swiftSettings: common),
        .testTarget(name: "Ch07MultimodalTests", dependencies: ["Ch07Multimodal", "Datasets", "Models", "Engine"], swiftSettings: common),
        .testTarget(name: "Ch08TextToImageTests", dependencies: ["Ch08TextToImage", "Ch06Latent", "Datasets", "Diffusion", "Engine"], swiftSettings: common),
        .testTarget(name: "Ch10FineTuningTests", dependencies: ["Ch10FineTuning", "Ch02Attention", "Ch08TextToImage", "Datasets", "Diffusion", "Models", "Engine"], swiftSettings: common),
        .testTarget(name: "ExercisesTests", dependencies: ["ExerciseGrading", "Exercises", "Engine"] + solutionsDependency, swiftSettings: common),
        .testTarget(name: "Ch09FamiliesTests", dependencies: ["Ch09Families", "Ch05Diffusion", "Datasets", "Diffusion", "Models", "Engine"], swiftSettings: common),
    ]
        + solutionsTargets
        + chapter("00", "Engine", module: "Ch00Engine", deps: ["Engine", "Datasets", "Plot"])
        + chapter("01", "Tokens", module: "Ch01Tokens", deps: ["Engine", "Datasets", "Plot"])
        + chapter("02", "Attention", module: "Ch02Attention", deps: ["Engine", "Datasets", "Models", "Plot"],
                  extraDeps: ["Exercises", "ExerciseGrading"])
        + chapter("03", "Data", module: "Ch03Data", deps: ["Engine", "Datasets", "Models", "Plot", "Ch02Attention"])
        + chapter("04", "Scaling", module: "Ch04Scaling", deps: ["Engine", "Datasets", "Models", "Plot"])
        + chapter("05", "Diffusion", module: "Ch05Diffusion", deps: ["Engine", "Datasets", "Models", "Diffusion", "Plot"])
        + chapter("06", "Latent", module: "Ch06Latent", deps: ["Engine", "Datasets", "Models", "Diffusion", "Plot"])
        + chapter("07", "Multimodal", module: "Ch07Multimodal", deps: ["Engine", "Datasets", "Models", "Plot"])
        + chapter("08", "TextToImage", module: "Ch08TextToImage", deps: ["Engine", "Datasets", "Models", "Diffusion", "Plot", "Ch06Latent", "Ch07Multimodal"],
                  executable: "ch08-text-to-image")
        + chapter("09", "Families", module: "Ch09Families", deps: ["Engine", "Datasets", "Models", "Diffusion", "Plot", "Ch05Diffusion", "Ch06Latent"])
        + chapter("10", "FineTuning", module: "Ch10FineTuning",
                  deps: ["Engine", "Datasets", "Models", "Diffusion", "Plot", "Ch02Attention", "Ch06Latent", "Ch07Multimodal", "Ch08TextToImage"],
                  executable: "ch10-finetuning", extraFiles: ["torch_twin.py"])
        + chapter("11", "Audio", module: "Ch11Audio", deps: ["Engine", "Datasets", "Models", "Audio", "Plot"])
)
