/**
 * The languages the pad offers: the sandbox's language id, Monaco's mode and
 * the file a new pad starts with. Browser-safe data, also used by the server
 * when it seeds an empty pad.
 */
export const PAD_LANGUAGES = [
  'python',
  'javascript',
  'typescript',
  'go',
  'java',
  'c',
  'cpp',
  'bash',
  'sql'
] as const;
export type PadLanguage = (typeof PAD_LANGUAGES)[number];
export const DEFAULT_PAD_LANGUAGE: PadLanguage = 'python';

export type PadLanguageInfo = {
  id: PadLanguage;
  label: string;
  /** Monaco's language id. */
  monaco: string;
  /** The entry file a new pad gets. */
  file: string;
  starter: string;
};

export const padLanguages: Record<PadLanguage, PadLanguageInfo> = {
  python: {
    id: 'python',
    label: 'Python',
    monaco: 'python',
    file: 'main.py',
    starter:
      'def main() -> None:\n    print("Hello from Tandem")\n\n\nif __name__ == "__main__":\n    main()\n'
  },
  javascript: {
    id: 'javascript',
    label: 'JavaScript',
    monaco: 'javascript',
    file: 'main.js',
    starter: "console.log('Hello from Tandem');\n"
  },
  typescript: {
    id: 'typescript',
    label: 'TypeScript',
    monaco: 'typescript',
    file: 'main.ts',
    starter: "const greeting: string = 'Hello from Tandem';\nconsole.log(greeting);\n"
  },
  go: {
    id: 'go',
    label: 'Go',
    monaco: 'go',
    file: 'main.go',
    starter:
      'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("Hello from Tandem")\n}\n'
  },
  java: {
    id: 'java',
    label: 'Java',
    monaco: 'java',
    file: 'Main.java',
    starter:
      'public class Main {\n    public static void main(String[] args) {\n        System.out.println("Hello from Tandem");\n    }\n}\n'
  },
  c: {
    id: 'c',
    label: 'C',
    monaco: 'c',
    file: 'main.c',
    starter:
      '#include <stdio.h>\n\nint main(void) {\n    printf("Hello from Tandem\\n");\n    return 0;\n}\n'
  },
  cpp: {
    id: 'cpp',
    label: 'C++',
    monaco: 'cpp',
    file: 'main.cpp',
    starter:
      '#include <iostream>\n\nint main() {\n    std::cout << "Hello from Tandem" << std::endl;\n    return 0;\n}\n'
  },
  bash: {
    id: 'bash',
    label: 'Bash',
    monaco: 'shell',
    file: 'main.sh',
    starter: 'echo "Hello from Tandem"\n'
  },
  sql: {
    id: 'sql',
    label: 'SQL (SQLite)',
    monaco: 'sql',
    file: 'main.sql',
    starter:
      "CREATE TABLE greetings (text TEXT NOT NULL);\nINSERT INTO greetings VALUES ('Hello from Tandem');\nSELECT text FROM greetings;\n"
  }
};

export function isPadLanguage(value: unknown): value is PadLanguage {
  return typeof value === 'string' && (PAD_LANGUAGES as readonly string[]).includes(value);
}

/** Monaco's mode for a file, from its extension; the pad's language otherwise. */
export function monacoLanguageFor(file: string, fallback: PadLanguage): string {
  const ext = file.slice(file.lastIndexOf('.'));
  const byExt: Record<string, string> = {
    '.py': 'python',
    '.js': 'javascript',
    '.mjs': 'javascript',
    '.ts': 'typescript',
    '.go': 'go',
    '.java': 'java',
    '.c': 'c',
    '.h': 'c',
    '.cpp': 'cpp',
    '.cc': 'cpp',
    '.hpp': 'cpp',
    '.sh': 'shell',
    '.sql': 'sql',
    '.json': 'json',
    '.md': 'markdown',
    '.txt': 'plaintext'
  };
  return byExt[ext] ?? padLanguages[fallback].monaco;
}
