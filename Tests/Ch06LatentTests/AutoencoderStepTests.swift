import Ch06Latent
import Datasets
import Engine
import Foundation
import Models
import Testing

/// The chapter's autoencoder steps: training that learns, a cache that gives back the same run,
/// and latent-space arithmetic that does what it says.
@Suite struct AutoencoderStepTests {
    /// A model that ignores its input can at best answer the mean training image, so beating that
    /// error on held-out images by a clear margin needs the code to carry information about each
    /// image. A short run (300 steps of 16 images, a few times the chapter's quick mode) must get
    /// well below it; the full chapter's curves leave that plateau after about 100 steps of 32.
    @Test func shortTrainingBeatsTheMeanImage() {
        let data = ShapesData(trainCount: 600, testCount: 100, seed: 3)
        let recipe = AutoencoderTraining(config: AutoencoderConfig(width: 16, latentChannels: 4, variational: true),
                                         klWeight: 0.1, steps: 300, batch: 16, learningRate: 3e-3, seed: 7)
        let run = trainAutoencoder(recipe, images: data.train.images, dataKey: "test")
        let baseline = meanImageError(train: data.train.images, test: data.test.images)
        let error = reconstructionError(run.model, images: data.test.images)
        #expect(error < 0.75 * baseline, "held-out MSE \(error) vs mean-image \(baseline)")
        #expect(run.reconstruction.count == 300 && run.kl.allSatisfy { $0 > 0 })
    }

    @Test func cachedRunEqualsFreshRun() throws {
        let folder = NSTemporaryDirectory() + "ch06-cache-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let images = ShapesData(trainCount: 64, testCount: 8, seed: 1).train.images
        let recipe = AutoencoderTraining(config: AutoencoderConfig(width: 4, latentChannels: 2, variational: true),
                                         klWeight: 0.1, steps: 3, batch: 8, seed: 2)
        let fresh = trainAutoencoder(recipe, images: images, dataKey: "d", cache: TrainingCache(folder: folder, fresh: false))
        #expect(FileManager.default.fileExists(atPath: folder + "/" + recipe.key + "-d.safetensors"))
        var calls = 0
        let cached = trainAutoencoder(recipe, images: images, dataKey: "d", cache: TrainingCache(folder: folder, fresh: false)) { _ in calls += 1 }
        #expect(calls == 0)  // restored, not retrained
        #expect(cached.reconstruction == fresh.reconstruction && cached.kl == fresh.kl)
        for (a, b) in zip(fresh.model.parameters, cached.model.parameters) { #expect(a.values == b.values) }
        let redone = trainAutoencoder(recipe, images: images, dataKey: "d", cache: TrainingCache(folder: folder, fresh: true)) { _ in calls += 1 }
        #expect(calls == 3)
        #expect(redone.reconstruction == fresh.reconstruction)
    }

    /// The wider VAE of section 5 is the chapter VAE's recipe with only the width and the seed
    /// changed, so its cache key differs from the chapter VAE's (chapter 08 restores the latter by key).
    @Test func latentVAERecipeWidensTheChapterVAE() {
        let settings = LatentSettings.full
        let narrow = settings.chapterVAERecipe(seed: 5), wide = settings.latentVAERecipe(seed: 5)
        #expect(narrow.config.width == settings.autoencoderWidth && wide.config.width == settings.latentVAEWidth)
        #expect(wide.config.width > narrow.config.width)
        #expect(wide.klWeight == narrow.klWeight && wide.steps == narrow.steps && wide.batch == narrow.batch
                && wide.learningRate == narrow.learningRate && wide.config.latentChannels == narrow.config.latentChannels)
        #expect(wide.seed != narrow.seed && wide.key != narrow.key)
    }

    @Test func interpolationHitsBothEndsAndTheMidpoint() {
        let a = Tensor(shape: [1, 2, 1, 1], values: [0, 4]), b = Tensor(shape: [1, 2, 1, 1], values: [2, -4])
        let line = interpolate(a, b, frames: 5)
        #expect(line.shape == [5, 2, 1, 1])
        #expect(Array(line.values[0..<2]) == [0, 4])
        #expect(Array(line.values[4..<6]) == [1, 0])
        #expect(Array(line.values[8..<10]) == [2, -4])
    }

    @Test func attributeVectorIsTheDifferenceOfGroupMeans() {
        let codes = Tensor(shape: [4, 2], values: [1, 2, 3, 4, 10, 20, 7, 7])
        let v = attributeVector(codes: codes, labels: [0, 0, 1, 2], positive: 1, negative: 0)
        #expect(v.shape == [1, 2])
        #expect(v.values == [10 - 2, 20 - 3])  // label 2 is in neither group
        let moved = shifted(codes, by: v, scale: 0.5)
        #expect(Array(moved.values[0..<2]) == [5, 10.5])
    }
}
