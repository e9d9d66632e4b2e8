// Ink prints only the last frame when CI is set, which would hide intermediate frames from
// component tests (gemini-cli test-setup does the same).
delete process.env['CI'];
