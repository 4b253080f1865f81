// @azure/functions warns on import and per registration when no Functions host runs: expected in tests.
import '../../src/local/quietTestMode';
