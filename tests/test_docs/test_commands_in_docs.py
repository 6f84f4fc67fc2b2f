"""Every command that README.md, docs/ and the config READMEs show runs as written: its
script exists, the repository paths it names exist, and each option it passes is one the
script accepts (``--help``). The research log is a dated record and is not checked."""
import glob
import os
import os.path as osp
import re
import shlex
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
PAGES = sorted(
    [osp.join(ROOT, 'README.md')] +
    [p for p in glob.glob(osp.join(ROOT, 'docs', '**', '*.md'), recursive=True)
     if f'{os.sep}research_log{os.sep}' not in p and f'{os.sep}benchmarks{os.sep}cpu_speed{os.sep}' not in p
     and f'{os.sep}baselines{os.sep}' not in p] +
    glob.glob(osp.join(ROOT, 'configs', '**', 'README.md'), recursive=True))
# in-house names of past runs that a stranger cannot know
IN_HOUSE = re.compile(r'\b(GPU ?[0-9]+b?|pilot ?[0-9]+|R[0-9]+\b|lease|stage ?[0-9]+|leg ?[0-9]+)',
                      re.IGNORECASE)


def shell_commands(path):
    """Commands of the ```bash blocks of a page, continuation lines joined, comments off."""
    text = open(path).read()
    commands = []
    for block in re.findall(r'```bash\n(.*?)```', text, flags=re.S):
        joined = re.sub(r'\\\n\s*', ' ', block)
        for line in joined.splitlines():
            line = line.split(' #')[0].strip()
            if line and not line.startswith('#'):
                commands.append(line)
    return commands


def tool_commands():
    found = []
    for page in PAGES:
        for command in shell_commands(page):
            words = shlex.split(command.replace('[', ' ').replace(']', ' ').replace('|', ' '))
            if len(words) >= 2 and words[0] in ('python', 'bash') and words[1].startswith('tools/'):
                found.append((osp.relpath(page, ROOT), command, words))
    return found


COMMANDS = tool_commands()


def test_pages_show_commands():
    pages = {page for page, _, _ in COMMANDS}
    assert 'README.md' in pages and len(COMMANDS) >= 30


@pytest.mark.parametrize('page,command,words', COMMANDS, ids=[c for _, c, _ in COMMANDS])
def test_scripts_and_paths_exist(page, command, words):
    assert osp.isfile(osp.join(ROOT, words[1])), f'{page}: {words[1]} does not exist'
    for word in words[2:]:
        value = word.split('=', 1)[-1]
        if re.match(r'^(configs|tools|fst_plugin|docs)/\S+\.(py|sh|md|safetensors)$', value):
            assert osp.isfile(osp.join(ROOT, value)), f'{page}: {value} does not exist'


def help_text(script):
    env = dict(os.environ, PYTHONWARNINGS='ignore', NO_ALBUMENTATIONS_UPDATE='1')
    proc = subprocess.run([sys.executable, script, '--help'], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f'{script} --help failed:\n{proc.stderr[-2000:]}'
    return proc.stdout


@pytest.fixture(scope='module')
def helps():
    scripts = sorted({w[1] for _, _, w in COMMANDS if w[0] == 'python'} | {'tools/train.py',
                                                                            'tools/test.py'})
    with ThreadPoolExecutor(2) as pool:
        return dict(zip(scripts, pool.map(help_text, scripts)))


def test_every_option_is_accepted(helps):
    # the shell launchers pass their extra options on to these scripts
    forwards = {'tools/dist_train.sh': 'tools/train.py', 'tools/slurm_train.sh': 'tools/train.py',
                'tools/dist_test.sh': 'tools/test.py', 'tools/slurm_test.sh': 'tools/test.py'}
    unknown = []
    for page, command, words in COMMANDS:
        script = words[1] if words[0] == 'python' else forwards.get(words[1])
        if script is None:
            continue
        for word in words[2:]:
            option = word.split('=', 1)[0]
            if option.startswith('--') and not re.search(rf'{re.escape(option)}\b', helps[script]):
                unknown.append(f'{page}: {option} ({command})')
    assert not unknown, '\n'.join(unknown)


def test_readme_is_a_short_guide():
    lines = open(osp.join(ROOT, 'README.md')).read().splitlines()
    assert len(lines) <= 300
    long = [n for n, line in enumerate(lines, 1) if len(line) > 100 and not line.startswith('|')]
    assert not long, f'README lines over 100 characters: {long}'
    names = [(n, m.group(0)) for n, line in enumerate(lines, 1) for m in IN_HOUSE.finditer(line)]
    assert not names, f'README uses names of past runs: {names}'


def test_every_figure_under_docs_is_linked():
    linked = set()
    for page in glob.glob(osp.join(ROOT, '**', '*.md'), recursive=True):
        if f'{os.sep}.venv{os.sep}' in page:
            continue
        for target in re.findall(r'\]\(([^)#]+)\)', open(page).read()):
            linked.add(osp.normpath(osp.join(osp.dirname(page), target)))
    figures = [p for p in glob.glob(osp.join(ROOT, 'docs', '**', '*'), recursive=True)
               if p.endswith(('.png', '.jpg', '.svg'))]
    assert figures and not [osp.relpath(p, ROOT) for p in figures if p not in linked]


@pytest.mark.parametrize('page', PAGES, ids=lambda p: osp.relpath(p, ROOT))
def test_links_point_to_files_that_exist(page):
    text = re.sub(r'```.*?```', '', open(page).read(), flags=re.S)
    missing = [target for target in re.findall(r'\]\(([^)#\s]+)', text)
               if '://' not in target
               and not osp.exists(osp.join(osp.dirname(page), target))]
    assert not missing, f'{osp.relpath(page, ROOT)} links to missing files: {missing}'
