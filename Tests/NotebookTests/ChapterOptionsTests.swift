import Testing
import Notebook

@Suite("Chapter options")
struct ChapterOptionsTests {
    @Test func defaultsAreFullRunSeedZeroDefaultFolder() throws {
        let o = try options([])
        #expect(o.quick == false)
        #expect(o.seed == 0)
        #expect(o.threads == nil)
        #expect(o.resolvedThreads >= 1)
        #expect(o.outDir(number: 3, slug: "data") == "Figures/03-data")
        #expect(o.outDir(number: 12, slug: "x") == "Figures/12-x")
        #expect(o.reproducingFlags == ["--seed", "0"])
    }

    @Test func validValuesAreParsed() throws {
        let o = try options(["--quick", "--seed", "18446744073709551615", "--out", "tmp/x", "--threads", "3"])
        #expect(o.quick)
        #expect(o.seed == UInt64.max)
        #expect(o.out == "tmp/x")
        #expect(o.threads == 3)
        #expect(o.resolvedThreads == 3)
        #expect(o.outDir(number: 0, slug: "engine") == "tmp/x")
        #expect(o.reproducingFlags == ["--seed", "18446744073709551615", "--quick"])
    }

    /// The one-line message a chapter prints after `error: ` for these arguments.
    private func rejection(_ arguments: [String]) -> String? {
        do {
            _ = try options(arguments)
            return nil
        } catch {
            return ChapterOptions.message(for: error)
        }
    }

    @Test func unknownOptionIsRejectedByName() throws {
        let message = try #require(rejection(["--bogus"]))
        #expect(message.contains("--bogus"))
        #expect(!message.contains("\n"))
    }

    @Test func nonNumericSeedIsRejectedNamingOptionAndValue() throws {
        let message = try #require(rejection(["--seed", "abc"]))
        #expect(message.contains("--seed"))
        #expect(message.contains("abc"))
    }

    @Test func zeroThreadsIsRejected() throws {
        let message = try #require(rejection(["--threads", "0"]))
        #expect(message.contains("--threads"))
        #expect(message.contains("0"))
        #expect(rejection(["--threads", "1"]) == nil)
    }

    @Test func negativeThreadsIsRejected() throws {
        #expect(rejection(["--threads=-2"]) != nil)
    }

    @Test func folderAndExecutableNames() {
        #expect(ChapterName.folder(number: 5, slug: "diffusion") == "05-diffusion")
        #expect(ChapterName.executable(number: 5, slug: "diffusion") == "ch05-diffusion")
        #expect(ChapterName.executable(number: 10, slug: "x") == "ch10-x")
    }
}
