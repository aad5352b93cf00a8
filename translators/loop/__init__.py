"""The Questioner-Solver refinement loop: Solver drafts, the engine verifies,
the Questioner turns the verdict into targeted questions, until verified or
out of rounds."""
