// The walkthrough: runs the course's chapters in order. See WalkthroughCommand.swift.
import Foundation

setvbuf(stdout, nil, _IOLBF, 0)
exit(WalkthroughCommand.parseAndRun(Array(CommandLine.arguments.dropFirst())))
