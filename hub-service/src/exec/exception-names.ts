// Exception class names that may appear in a failure reason. A name the notebook chose could spell data,
// so only Python's built-in exceptions and the runner's own are named; anything else is "an exception".

const builtin =
  'ArithmeticError AssertionError AttributeError BaseException BaseExceptionGroup BlockingIOError ' +
  'BrokenPipeError BufferError ChildProcessError ConnectionAbortedError ConnectionError ' +
  'ConnectionRefusedError ConnectionResetError EOFError EnvironmentError Exception ExceptionGroup ' +
  'FileExistsError FileNotFoundError FloatingPointError GeneratorExit IOError ImportError ' +
  'IndentationError IndexError InterruptedError IsADirectoryError KeyError KeyboardInterrupt ' +
  'LookupError MemoryError ModuleNotFoundError NameError NotADirectoryError NotImplementedError ' +
  'OSError OverflowError PermissionError ProcessLookupError RecursionError ReferenceError ' +
  'RuntimeError StopAsyncIteration StopIteration SyntaxError SystemError SystemExit TabError ' +
  'TimeoutError TypeError UnboundLocalError UnicodeDecodeError UnicodeEncodeError UnicodeError ' +
  'UnicodeTranslateError ValueError ZeroDivisionError';
const runner = 'DeadKernelError CellTimeoutError BundleError NotebookError ConfigError RunnerError';

const known = new Set(`${builtin} ${runner}`.split(' '));

export function safeExceptionName(ename: string | undefined): string | undefined {
  return ename && known.has(ename) ? ename : undefined;
}
