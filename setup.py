"""Install fst_plugin: FST video deblurring as an OpenMMLab MMagic plugin.

The heavy, version-sensitive dependencies (torch, mmcv with ops, mmagic without its
diffusion/face stacks) are installed by ``tools/setup_env.sh``; ``install_requires`` only
names what the plugin imports so that ``pip install -e .`` does not drag in a second torch.
"""
import os.path as osp

from setuptools import find_packages, setup


def read_version():
    namespace = {}
    with open(osp.join(osp.dirname(__file__), 'fst_plugin', 'version.py')) as f:
        exec(f.read(), namespace)
    return namespace['__version__']


def read_description():
    path = osp.join(osp.dirname(__file__), 'docs', 'package_description.md')
    return open(path).read() if osp.exists(path) else ''


setup(
    name='fst_plugin',
    version=read_version(),
    description='Video deblurring with factorized spatio-temporal attention (FST) for MMagic',
    long_description=read_description(),
    long_description_content_type='text/markdown',
    packages=find_packages(include=['fst_plugin', 'fst_plugin.*']),
    # the shipped model (model-only weights with their config, safetensors)
    package_data={'fst_plugin': ['model_zoo/*.safetensors']},
    python_requires='>=3.9',
    install_requires=[
        'torch', 'mmengine>=0.10,<0.11', 'mmcv>=2.0,<2.2', 'mmagic>=1.2,<1.3', 'numpy<2',
        'opencv-python', 'safetensors'
    ],
    license='Apache-2.0',
    zip_safe=False,
)
