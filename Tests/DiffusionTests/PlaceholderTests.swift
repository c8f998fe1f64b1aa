import Testing
@testable import Diffusion
@Test func placeholder() { #expect(Diffusion.self == Diffusion.self) }
