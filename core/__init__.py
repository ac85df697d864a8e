from core import model_comments

model_comments.install()  # before any model class is built (see core.model_comments)
