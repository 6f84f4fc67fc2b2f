"""The package's modules import each other without a loop (module-level and lazy imports)."""
import ast
import os
import os.path as osp

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
PACKAGE = 'fst_plugin'


def module_names():
    names = {}
    for folder, _, files in os.walk(osp.join(ROOT, PACKAGE)):
        for file in files:
            if file.endswith('.py'):
                path = osp.join(folder, file)
                parts = osp.relpath(path, ROOT)[:-3].split(os.sep)
                if parts[-1] == '__init__':
                    parts = parts[:-1]
                names['.'.join(parts)] = path
    return names


def imported_modules(name, path, known):
    """Modules of the package that ``name`` imports anywhere in its file."""
    is_package = path.endswith('__init__.py')
    found = set()
    for node in ast.walk(ast.parse(open(path).read())):
        targets = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split('.')
                base = base[:len(base) - node.level + (1 if is_package else 0)]
                module = '.'.join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ''
            targets = [module] + [f'{module}.{alias.name}' for alias in node.names]
        for target in targets:
            if target in known:  # a module or a subpackage, not a name inside one
                found.add(target)
    found.discard(name)
    return found


def find_cycle(graph):
    state, stack = {}, []

    def visit(node):
        state[node] = 'open'
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 'open':
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                cycle = visit(nxt)
                if cycle:
                    return cycle
        state[node] = 'done'
        stack.pop()
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def test_no_import_loop_between_modules():
    modules = module_names()
    # a package's __init__ imports its own modules; edges into a package from its own
    # modules are what would close a loop, so packages count as the modules they re-export
    graph = {name: imported_modules(name, path, modules) for name, path in modules.items()}
    for name in graph:
        graph[name] = {t for t in graph[name]
                       if not (modules[t].endswith('__init__.py') and name.startswith(t + '.'))}
    assert find_cycle(graph) is None, ' -> '.join(find_cycle(graph))


def test_finds_a_loop_when_there_is_one():
    assert find_cycle({'a': {'b'}, 'b': {'c'}, 'c': {'a'}}) == ['a', 'b', 'c', 'a']
    assert find_cycle({'a': {'b'}, 'b': set()}) is None
